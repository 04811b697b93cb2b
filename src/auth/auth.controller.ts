import { Body, Controller, Get, HttpCode, Inject, Ip, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { AuthService } from './auth.service.js';
import {
  CreateStaffDto,
  IdentityCheckDto,
  IdentityCheckView,
  LinkPasswordAccountDto,
  LoginDto,
  RefreshDto,
  RegisterCitizenDto,
  RegistrationAccepted,
  TokenPair,
  UserView,
} from './dto/auth.dto.js';
import { IdentityChecksService } from './identity-checks.service.js';
import { LoginThrottle } from './login-throttle.js';
import { toUserView, UsersService } from './users.service.js';
import { CommonErrors } from '../common/common.errors.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(IdentityChecksService) private readonly checks: IdentityChecksService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ operationId: 'login', summary: 'Đăng nhập / Log in with username and password' })
  @ApiOkResponse({ type: TokenPair })
  @ApiResponse({ status: 401, description: 'INVALID_CREDENTIALS' })
  @ApiResponse({ status: 429, description: 'TOO_MANY_REQUESTS: too many attempts for this account or client' })
  login(@Body() dto: LoginDto, @Ip() clientIp: string | undefined): Promise<TokenPair> {
    return this.auth.login(dto.username, dto.password, clientIp);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ operationId: 'refreshToken', summary: 'Rotate a refresh token / Làm mới phiên (a reused token revokes the whole login)' })
  @ApiOkResponse({ type: TokenPair })
  @ApiResponse({ status: 401, description: 'INVALID_REFRESH_TOKEN or REFRESH_TOKEN_REUSED' })
  refresh(@Body() dto: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ operationId: 'logout', summary: 'Đăng xuất / End the login the refresh token belongs to' })
  @ApiResponse({ status: 204, description: 'Logged out' })
  async logout(@Body() dto: RefreshDto): Promise<void> {
    await this.auth.logout(dto.refreshToken);
  }

  @Get('me')
  @ApiOperation({ operationId: 'getCurrentUser', summary: 'Tài khoản hiện tại / The caller' })
  @ApiOkResponse({ type: UserView })
  async me(@CurrentUser() caller: AuthUser): Promise<UserView | AuthUser> {
    if (caller.kind !== 'user') return caller;
    const user = await this.users.findById(caller.id);
    if (!user || !user.active) throw CommonErrors.UNAUTHENTICATED('Tài khoản không còn hoạt động', 'Account no longer active');
    return toUserView(user);
  }

  @Post('citizens/register')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    operationId: 'registerCitizen',
    summary: 'Công dân đăng ký tài khoản / Citizen self-registration (username = CCCD), UNVERIFIED',
    description:
      'The answer is the same whether or not the CCCD already has an account. The account is UNVERIFIED: it sees only the dossiers it files itself, ' +
      'until a one-stop officer checks the CCCD card (POST /auth/identity-checks); VNeID login gives a verified account.',
  })
  @ApiResponse({ status: 202, type: RegistrationAccepted })
  @ApiResponse({ status: 429, description: 'TOO_MANY_REGISTRATIONS from this address' })
  async register(@Body() dto: RegisterCitizenDto, @Ip() clientIp: string | undefined): Promise<RegistrationAccepted> {
    await this.throttle.beginRegistration(clientIp);
    await this.users.registerCitizen(dto);
    return {
      status: 'ACCEPTED',
      message:
        'Nếu số CCCD chưa có tài khoản, tài khoản đã được tạo: đăng nhập bằng số CCCD và mật khẩu; nếu không đăng nhập được, hãy dùng VNeID hoặc đến Bộ phận Một cửa / ' +
        'If the CCCD had no account, one was created: log in with the CCCD and the password; if you cannot, log in with VNeID or come to the one-stop desk',
    };
  }

  @Post('me/link-password-account')
  @Roles(Role.CITIZEN)
  @HttpCode(200)
  @ApiOperation({
    operationId: 'linkPasswordAccount',
    summary: 'Gộp tài khoản mật khẩu vào tài khoản đã xác thực / Link the unverified password account of my CCCD into my verified account',
    description:
      "For a citizen logged in with VNeID whose CCCD was already registered with a password: proving that password moves that account's own dossiers and uploads here, " +
      'ends its sessions and deactivates it; this account takes over its username and password.',
  })
  @ApiOkResponse({ type: UserView })
  @ApiResponse({ status: 401, description: 'INVALID_CREDENTIALS: wrong password of the old account' })
  @ApiResponse({ status: 403, description: 'IDENTITY_NOT_VERIFIED: only a verified account may link' })
  @ApiResponse({ status: 404, description: 'NO_PASSWORD_ACCOUNT' })
  async linkPasswordAccount(@CurrentUser() caller: AuthUser, @Body() dto: LinkPasswordAccountDto, @Ip() clientIp: string | undefined): Promise<UserView> {
    return toUserView(await this.auth.linkPasswordAccount(caller, dto.password, clientIp));
  }

  @Post('identity-checks')
  @Roles(Role.RECEPTION_OFFICER, Role.ADMIN)
  @HttpCode(201)
  @ApiOperation({
    operationId: 'checkCitizenIdentity',
    summary: "Kiểm tra thẻ căn cước tại quầy / Record that the citizen's CCCD card was checked at the desk",
    description:
      "Records what the officer saw: the card's number and issue date, the method (CARD_SHOWN), who, where and when; the citizen sees it in their access log. " +
      "With username, the account becomes VERIFIED (the card's number must be the account's). Without, it proves the applicant of one counter filing by the same officer: " +
      "give its id as identityCheckId (within IDENTITY_CHECK_MAX_AGE_MINUTES, once); only then do the filing's scans enter the applicant's data store.",
  })
  @ApiCreatedResponse({ type: IdentityCheckView })
  @ApiResponse({ status: 400, description: 'INVALID_ID_NUMBER, CARD_ISSUE_DATE_INVALID, VALIDATION_FAILED' })
  @ApiResponse({ status: 404, description: 'ACCOUNT_NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'IDENTITY_ALREADY_VERIFIED: another account holds this verified CCCD' })
  @ApiResponse({ status: 422, description: 'ID_NUMBER_MISMATCH' })
  checkIdentity(@CurrentUser() officer: AuthUser, @Body() dto: IdentityCheckDto): Promise<IdentityCheckView> {
    return this.checks.record(officer, dto);
  }
}

@ApiTags('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Post()
  @Roles(Role.ADMIN)
  @ApiOperation({ operationId: 'createUser', summary: 'Tạo tài khoản cán bộ / Create a staff or admin account' })
  @ApiCreatedResponse({ type: UserView })
  @ApiResponse({ status: 409, description: 'ACCOUNT_EXISTS' })
  @ApiResponse({ status: 422, description: 'UNKNOWN_AGENCY' })
  async create(@Body() dto: CreateStaffDto): Promise<UserView> {
    return toUserView(await this.users.createStaff(dto));
  }
}
