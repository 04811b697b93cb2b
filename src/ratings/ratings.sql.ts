/** SQL fragments over the ratings' tables (rating.entity.ts) for the figures (5.4 satisfaction). */

/** Whether the dossier `x` (an expression holding its id) has a complaint. */
export const complaintSql = (x: string) => `EXISTS (SELECT 1 FROM dossier_complaints dc WHERE dc.dossier_id = ${x})`;

/** The latest revision's overall verdict of the dossier `x`'s rating (null when not rated). */
export const ratingSql = (x: string) => `(SELECT r.overall FROM dossier_ratings r WHERE r.dossier_id = ${x} ORDER BY r.revision DESC LIMIT 1)`;
