import { Agency, AgencyProcedure } from '../agencies/agency.entity.js';
import { Procedure, ProcedureRevision } from '../catalog/procedure.entity.js';

/**
 * Every TypeORM entity of the service. The data source, the migration generator and the
 * schema-drift test all read this list, so an entity not listed here does not exist.
 */
export const ENTITIES: Function[] = [Agency, AgencyProcedure, Procedure, ProcedureRevision];
