/** SQL fragments over the accounts' table (user.entity.ts) for read models that join it (the data store's alerts). */

/** The accounts as `u` (id, username, full_name, role, agency_code…), for a join. */
export const USERS_AS_U = 'users u';
