import { RefreshToken } from '../auth/refresh-token.entity.js';
import { User } from '../auth/user.entity.js';
import { StoredFile } from '../documents/stored-file.entity.js';

/**
 * Every TypeORM entity of the service. The data source, the migration generator and the
 * schema-drift test all read this list, so an entity not listed here does not exist.
 */
export const ENTITIES: Function[] = [User, RefreshToken, StoredFile];
