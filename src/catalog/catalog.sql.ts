/**
 * SQL fragments over the catalogue's tables (procedure.entity.ts) for read models that join them
 * (queues, the figures): the catalogue keeps them beside its tables, so no capability names them.
 */

/** Joins the procedure whose code is `codeExpr` as `alias` (its columns: code, name, field, service_level, fees…). */
export const procedureJoinSql = (alias: string, codeExpr: string) => `LEFT JOIN procedure ${alias} ON ${alias}.code = ${codeExpr}`;

/** The procedures as `p`, for a FROM clause. */
export const PROCEDURES_AS_P = 'procedure p';

/**
 * True when the procedure version a dossier (`d`) was filed under collects a fee with the online
 * submission: read from that version's revision snapshot (snapshots written before fee lines had a
 * collection point charge nothing at submission).
 */
export const chargesOnlineAtSubmissionSql = (
  d: string,
) => `EXISTS (SELECT 1 FROM procedure_revision pr WHERE pr.procedure_code = ${d}.procedure_code AND pr.version = ${d}.procedure_version
      AND jsonb_path_exists(pr.snapshot -> 'fees', '$[*] ? (@.collectAt == "AT_SUBMISSION" && @.amountVnd > 0 && @.channels[*] == "ONLINE")'))`;
