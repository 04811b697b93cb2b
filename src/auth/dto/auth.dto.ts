import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsEmail, IsEnum, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Role } from '../../common/auth-context.js';
import { IDENTITY_CHECK_METHODS, type IdentityCheckMethod } from '../identity-check.entity.js';
import { IdentityAssurance, IdentityMethod } from '../user.entity.js';

export class LoginDto {
  @ApiProperty({ example: '001099012345', description: 'Tên đăng nhập (công dân: số CCCD) / username (citizens: CCCD)' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username: string;

  @ApiProperty({ example: 'MotCua@2026' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from login or the previous refresh' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  refreshToken: string;
}

/** Password policy: at least 8 characters with a letter and a digit. */
const PASSWORD = /^(?=.*[A-Za-zÀ-ỹ])(?=.*\d).{8,128}$/;
const PHONE = /^(\+84|0)\d{9,10}$/;

export class RegisterCitizenDto {
  @ApiProperty({ example: '001099012345', description: 'Số định danh cá nhân (CCCD), 12 chữ số' })
  @IsString()
  idNumber: string;

  @ApiProperty({ example: 'Nguyễn Văn An' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  fullName: string;

  @ApiProperty({ example: '1999-05-01' })
  @IsDateString({ strict: true }, { message: 'dateOfBirth must be a date YYYY-MM-DD' })
  dateOfBirth: string;

  @ApiProperty({ example: '0912345678' })
  @Matches(PHONE, { message: 'phone must be a Vietnamese phone number (0xxxxxxxxx or +84xxxxxxxxx)' })
  phone: string;

  @ApiPropertyOptional({ example: 'an.nguyen@example.vn' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string;

  @ApiProperty({ example: 'MatKhau123', description: '≥ 8 characters with a letter and a digit' })
  @IsString()
  @Matches(PASSWORD, { message: 'password must have at least 8 characters, with a letter and a digit' })
  password: string;
}

export class CreateStaffDto {
  @ApiProperty({ example: 'motcua.phuongbd' })
  @Matches(/^[a-z0-9._-]{3,64}$/, { message: 'username must be 3-64 lower-case letters, digits, . _ -' })
  username: string;

  @ApiProperty({ example: 'CanBo@2026' })
  @IsString()
  @Matches(PASSWORD, { message: 'password must have at least 8 characters, with a letter and a digit' })
  password: string;

  @ApiProperty({ example: 'Trần Thị Bình' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  fullName: string;

  @ApiProperty({ enum: [Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER, Role.ADMIN] })
  @IsEnum(Role)
  role: Role;

  @ApiPropertyOptional({ example: '000.00.20.H56', description: 'Required for reception officers, specialists and leaders' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  agencyCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(PHONE, { message: 'phone must be a Vietnamese phone number' })
  phone?: string;
}

export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty() fullName: string;
  @ApiProperty({ type: String, nullable: true, description: 'Officers: their unit' }) agencyCode: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Citizens: CCCD' }) idNumber: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) dateOfBirth: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({
    nullable: true,
    enum: IdentityAssurance,
    description: 'Citizens: VERIFIED (VNeID or a desk check) or UNVERIFIED (CCCD typed in). Only a verified account sees dossiers others filed for its CCCD.',
  })
  identityAssurance: IdentityAssurance | null;
  @ApiProperty({ nullable: true, enum: IdentityMethod }) identityMethod: IdentityMethod | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) identityVerifiedAt: string | null;
}

/** The one answer to a registration, whether or not the CCCD already had an account. */
export class RegistrationAccepted {
  @ApiProperty({ example: 'ACCEPTED' }) status: 'ACCEPTED';
  @ApiProperty() message: string;
}

export class IdentityCheckDto {
  @ApiPropertyOptional({
    example: '001099012345',
    description: 'A citizen account (username) this check verifies; left out, the check only proves the applicant of a filing (identityCheckId)',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username?: string;

  @ApiProperty({ example: '001099012345', description: 'The number on the CCCD card the officer checked' })
  @Matches(/^\d{12}$/, { message: 'idNumber must be 12 digits' })
  idNumber: string;

  @ApiProperty({ example: '2021-06-01', description: 'Ngày cấp: the issue date printed on the card (a number typed from memory does not carry it)' })
  @IsDateString({ strict: true }, { message: 'issuedOn must be a date YYYY-MM-DD' })
  issuedOn: string;

  @ApiPropertyOptional({
    enum: IDENTITY_CHECK_METHODS,
    default: 'CARD_SHOWN',
    description: 'How the card was checked: CARD_SHOWN (the card itself, read by the officer); reading its QR code or chip comes later',
  })
  @IsOptional()
  @IsIn(IDENTITY_CHECK_METHODS, { message: `method must be one of ${IDENTITY_CHECK_METHODS.join(', ')}` })
  method?: IdentityCheckMethod;
}

class IdentityCheckOfficerView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fullName: string;
}

/** A recorded card check: give its id as identityCheckId on the filing it proves. */
export class IdentityCheckView {
  @ApiProperty({ format: 'uuid', description: 'identityCheckId of the filing this check proves (once)' }) id: string;
  @ApiProperty({ example: '001099012345' }) idNumber: string;
  @ApiProperty({ example: '2021-06-01' }) cardIssuedOn: string;
  @ApiProperty({ enum: IDENTITY_CHECK_METHODS }) method: IdentityCheckMethod;
  @ApiProperty({ type: IdentityCheckOfficerView }) officer: IdentityCheckOfficerView;
  @ApiProperty({ type: String, nullable: true, example: '000.00.20.H56' }) agencyCode: string | null;
  @ApiProperty({ format: 'date-time' }) checkedAt: string;
  @ApiProperty({ format: 'date-time', description: 'A filing must reference it before then (IDENTITY_CHECK_MAX_AGE_MINUTES)' }) usableUntil: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The filing it proved, once used' }) usedByDossierId: string | null;
  @ApiProperty({ type: UserView, nullable: true, description: 'The account it verified, when username was given' }) account: UserView | null;
}

export class LinkPasswordAccountDto {
  @ApiProperty({ description: 'The password of the unverified account registered with this CCCD' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class TokenPair {
  @ApiProperty() accessToken: string;
  @ApiProperty() refreshToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Access token lifetime in seconds' }) expiresIn: number;
  @ApiProperty({ type: UserView }) user: UserView;
}
