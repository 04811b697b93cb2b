import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { hash, verify } from '@node-rs/argon2';
import { QueryFailedError, Repository } from 'typeorm';
import { Role, STAFF_ROLES } from '../common/auth-context.js';
import { AppError } from '../common/errors.js';
import { AgencyDirectory } from './agency-directory.js';
import { CCCD_MESSAGES, checkCccd } from './cccd.js';
import type { CreateStaffDto, RegisterCitizenDto, UserView } from './dto/auth.dto.js';
import { User } from './user.entity.js';

/** argon2id with OWASP's recommended minimum (19 MiB, 2 passes). */
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function toUserView(u: User): UserView {
  return { id: u.id, username: u.username, role: u.role, fullName: u.fullName, agencyCode: u.agencyCode, idNumber: u.idNumber, dateOfBirth: u.dateOfBirth, phone: u.phone, email: u.email };
}

/** Accounts: citizens, staff and admins. Other capabilities read users through this service. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(AgencyDirectory) private readonly agencies: AgencyDirectory,
  ) {}

  hashPassword(password: string): Promise<string> {
    return hash(password, ARGON2);
  }

  async verifyPassword(user: User, password: string): Promise<boolean> {
    if (!user.passwordHash) return false;
    try {
      return await verify(user.passwordHash, password);
    } catch {
      return false;
    }
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ username });
  }

  findByIdNumber(idNumber: string): Promise<User | null> {
    return this.users.findOneBy({ idNumber });
  }

  async registerCitizen(dto: RegisterCitizenDto): Promise<User> {
    const problem = checkCccd(dto.idNumber, dto.dateOfBirth);
    if (problem) throw AppError.badRequest('INVALID_ID_NUMBER', CCCD_MESSAGES[problem], [{ field: 'idNumber', message: CCCD_MESSAGES[problem] }]);
    return this.insertUnique({
      username: dto.idNumber,
      idNumber: dto.idNumber,
      passwordHash: await this.hashPassword(dto.password),
      role: Role.CITIZEN,
      fullName: dto.fullName.trim(),
      dateOfBirth: dto.dateOfBirth,
      phone: dto.phone,
      email: dto.email ?? null,
      agencyCode: null,
    });
  }

  /**
   * A citizen known only from the national identity provider (VNeID): matched by CCCD, created on
   * first login without a password.
   */
  async findOrCreateCitizenFromIdentity(claims: { idNumber: string; fullName?: string; dateOfBirth?: string; phone?: string; email?: string }): Promise<User> {
    const existing = await this.findByIdNumber(claims.idNumber);
    if (existing) return existing;
    try {
      return await this.insertUnique({
        username: claims.idNumber,
        idNumber: claims.idNumber,
        passwordHash: null,
        role: Role.CITIZEN,
        fullName: claims.fullName?.trim() || claims.idNumber,
        dateOfBirth: claims.dateOfBirth ?? null,
        phone: claims.phone ?? null,
        email: claims.email ?? null,
        agencyCode: null,
      });
    } catch (e) {
      const raced = await this.findByIdNumber(claims.idNumber);
      if (raced) return raced;
      throw e;
    }
  }

  /** Staff and admins, created by an admin (or the demo seed); staff need an agency that exists. */
  async createStaff(dto: CreateStaffDto): Promise<User> {
    if (dto.role === Role.CITIZEN || dto.role === Role.INTEGRATOR) {
      throw AppError.badRequest('INVALID_ROLE', 'Vai trò không hợp lệ cho cán bộ / Role not allowed for staff accounts (citizens self-register; integrators use API keys)', [{ field: 'role', message: 'one of RECEPTION_OFFICER, SPECIALIST, LEADER, ADMIN' }]);
    }
    const needsAgency = (STAFF_ROLES as readonly Role[]).includes(dto.role);
    if (needsAgency && !dto.agencyCode) {
      throw AppError.badRequest('AGENCY_REQUIRED', 'Cán bộ phải thuộc một cơ quan / Staff must belong to an agency', [{ field: 'agencyCode', message: 'required for this role' }]);
    }
    if (dto.agencyCode && !(await this.agencies.exists(dto.agencyCode))) {
      throw AppError.unprocessable('AGENCY_NOT_FOUND', `Không tìm thấy cơ quan ${dto.agencyCode} / Unknown agency ${dto.agencyCode}`, [{ field: 'agencyCode', message: 'no such agency' }]);
    }
    return this.insertUnique({
      username: dto.username,
      passwordHash: await this.hashPassword(dto.password),
      role: dto.role,
      fullName: dto.fullName.trim(),
      agencyCode: dto.agencyCode ?? null,
      idNumber: null,
      dateOfBirth: null,
      phone: dto.phone ?? null,
      email: dto.email ?? null,
    });
  }

  /** The first admin, from ADMIN_USERNAME / ADMIN_PASSWORD, when no admin exists yet. */
  async ensureAdmin(username: string, password: string): Promise<boolean> {
    if (await this.users.existsBy({ role: Role.ADMIN })) return false;
    try {
      await this.users.insert({ username, passwordHash: await this.hashPassword(password), role: Role.ADMIN, fullName: 'Quản trị hệ thống / Administrator', agencyCode: null });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false; // another replica created it first
      throw e;
    }
  }

  private async insertUnique(values: Partial<User>): Promise<User> {
    try {
      return await this.users.save(this.users.create(values));
    } catch (e) {
      if (isUniqueViolation(e)) {
        const field = values.idNumber ? 'idNumber' : 'username';
        throw AppError.conflict('ACCOUNT_EXISTS', 'Tài khoản đã tồn tại / An account with this username or id number already exists', [{ field, message: 'already registered' }]);
      }
      throw e;
    }
  }
}

export function isUniqueViolation(e: unknown): boolean {
  return e instanceof QueryFailedError && (e as { code?: string }).code === '23505';
}
