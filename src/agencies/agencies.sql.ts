/** SQL fragments over the agencies' tables (agency.entity.ts) for read models that join them (the figures). */

/** Which procedures each agency resolves, as `ap` (agency_code, procedure_code), for a FROM clause. */
export const AGENCY_PROCEDURES_AS_AP = 'agency_procedure ap';
