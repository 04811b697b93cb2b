/**
 * What auth needs to know about agencies (does one exist?), bound to the agencies capability's
 * service in AuthModule, so auth does not reach into another capability's tables.
 */
export abstract class AgencyDirectory {
  abstract exists(code: string): Promise<boolean>;
}
