import { Body, Controller, Get, HttpCode, Inject, Ip, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { AppError } from '../common/errors.js';
import { AuthService } from './auth.service.js';
import { CreateStaffDto, LoginDto, RefreshDto, RegisterCitizenDto, TokenPair, UserView } from './dto/auth.dto.js';
import { toUserView, UsersService } from './users.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Đăng nhập / Log in with username and password' })
  @ApiOkResponse({ type: TokenPair })
  @ApiResponse({ status: 401, description: 'INVALID_CREDENTIALS' })
  @ApiResponse({ status: 429, description: 'TOO_MANY_REQUESTS: too many attempts for this account or client' })
  login(@Body() dto: LoginDto, @Ip() clientIp: string | undefined): Promise<TokenPair> {
    return this.auth.login(dto.username, dto.password, clientIp);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate a refresh token / Làm mới phiên (a reused token revokes the whole login)' })
  @ApiOkResponse({ type: TokenPair })
  @ApiResponse({ status: 401, description: 'INVALID_REFRESH_TOKEN or REFRESH_TOKEN_REUSED' })
  refresh(@Body() dto: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Đăng xuất / End the login the refresh token belongs to' })
  @ApiResponse({ status: 204, description: 'Logged out' })
  async logout(@Body() dto: RefreshDto): Promise<void> {
    await this.auth.logout(dto.refreshToken);
  }

  @Get('me')
  @ApiOperation({ summary: 'Tài khoản hiện tại / The caller' })
  @ApiOkResponse({ type: UserView })
  async me(@CurrentUser() caller: AuthUser): Promise<UserView | AuthUser> {
    if (caller.kind !== 'user') return caller;
    const user = await this.users.findById(caller.id);
    if (!user || !user.active) throw AppError.unauthorized('UNAUTHENTICATED', 'Tài khoản không còn hoạt động / Account no longer active');
    return toUserView(user);
  }

  @Post('citizens/register')
  @Public()
  @ApiOperation({ summary: 'Công dân đăng ký tài khoản / Citizen self-registration (username = CCCD)' })
  @ApiCreatedResponse({ type: UserView })
  @ApiResponse({ status: 409, description: 'ACCOUNT_EXISTS' })
  async register(@Body() dto: RegisterCitizenDto): Promise<UserView> {
    return toUserView(await this.users.registerCitizen(dto));
  }
}

@ApiTags('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Post()
  @Roles(Role.ADMIN)
  @ApiOperation({ summary: 'Tạo tài khoản cán bộ / Create a staff or admin account' })
  @ApiCreatedResponse({ type: UserView })
  @ApiResponse({ status: 409, description: 'ACCOUNT_EXISTS' })
  @ApiResponse({ status: 422, description: 'AGENCY_NOT_FOUND' })
  async create(@Body() dto: CreateStaffDto): Promise<UserView> {
    return toUserView(await this.users.createStaff(dto));
  }
}
