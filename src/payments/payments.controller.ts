import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import { uuidParam } from '../common/query-params.js';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Public, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { Clock } from '../common/clock.js';
import { formatReceiptNumber } from './receipts/receipt-numbering.js';
import { DEFAULT_FORM_CODE, DEFAULT_SERIES_PREFIX, ReceiptsService } from './receipts/receipts.service.js';
import {
  BankStatementDto,
  BankTransferDto,
  CounterPaymentDto,
  StatementResultView,
  DailyQueryDto,
  DailySummaryView,
  DossierPaymentsDto,
  FeeCollectorDto,
  OpenSubmissionPaymentDto,
  PaidView,
  PaymentReasonDto,
  PaymentViewDto,
  PayOnlineView,
  ReceiptViewDto,
  ReconcileView,
  VietQrView,
} from './dto/payment.dto.js';
import { PaymentsService } from './payments.service.js';

const STAFF = [Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER] as const;

@ApiTags('payments')
@Controller()
export class PaymentsController {
  constructor(
    @Inject(PaymentsService) private readonly payments: PaymentsService,
    @Inject(ReceiptsService) private readonly receipts: ReceiptsService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get('dossiers/:idOrCode/payments')
  @ApiOperation({ summary: "Phí, lệ phí của hồ sơ / A dossier's fee lines, payment requests, what is paid and how, and its receipts" })
  @ApiOkResponse({ type: DossierPaymentsDto })
  @ApiResponse({ status: 404, description: 'DOSSIER_NOT_FOUND' })
  ofDossier(@CurrentUser() user: AuthUser, @Param('idOrCode') idOrCode: string) {
    return this.payments.ofDossier(user, idOrCode);
  }

  @Post('dossiers/:idOrCode/payments')
  @Roles(Role.CITIZEN, Role.INTEGRATOR)
  @ApiOperation({
    summary:
      'Nộp phí khi nộp hồ sơ / The applicant opens the request of the fee due with the online submission (the one-stop sees the dossier once it is paid)',
  })
  @ApiCreatedResponse({ type: PaymentViewDto })
  @ApiResponse({ status: 409, description: 'PAYMENT_ALREADY_PENDING' })
  @ApiResponse({ status: 422, description: 'NOT_AT_SUBMISSION' })
  openAtSubmission(@CurrentUser() user: AuthUser, @Param('idOrCode') idOrCode: string, @Body() body: OpenSubmissionPaymentDto) {
    return this.payments.openAtSubmission(user, idOrCode, body.applicantCategory);
  }

  @Get('dossiers/:idOrCode/receipts')
  @ApiOperation({ summary: "Biên lai điện tử của hồ sơ / The dossier's e-receipts" })
  @ApiOkResponse({ type: [ReceiptViewDto] })
  receiptsOf(@CurrentUser() user: AuthUser, @Param('idOrCode') idOrCode: string) {
    return this.payments.receiptsOf(user, idOrCode);
  }

  @Get('receipts/:id/pdf')
  @ApiOperation({
    summary: "Biên lai (PDF, ký số của đơn vị thu) / The receipt as a PDF, signed with the collecting agency's key when it has one (X-Receipt-Signed)",
  })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 404, description: 'RECEIPT_NOT_FOUND' })
  async receiptPdf(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id', 'Mã')) id: string, @Res() res: Response): Promise<void> {
    const { pdf, signed, receipt } = await this.payments.receiptPdf(user, id);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="bien-lai-${receipt.series}-${formatReceiptNumber(receipt.number)}.pdf"`);
    res.setHeader('X-Receipt-Signed', String(signed));
    res.end(pdf);
  }

  @Post('payments/:id/online')
  @HttpCode(200)
  @ApiOperation({ summary: 'Thanh toán trực tuyến / Registers the request at the national payment platform and answers where to pay' })
  @ApiOkResponse({ type: PayOnlineView })
  @ApiResponse({ status: 409, description: 'PAYMENT_NOT_PENDING' })
  @ApiResponse({ status: 502, description: 'PLATFORM_UNAVAILABLE' })
  @ApiResponse({ status: 503, description: 'NO_ONLINE_PAYMENT' })
  payOnline(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id', 'Mã')) id: string) {
    return this.payments.payOnline(user, id);
  }

  @Get('payments/:id/vietqr')
  @ApiOperation({ summary: 'Mã VietQR chuyển khoản / The EMVCo VietQR payload and image for a bank transfer' })
  @ApiOkResponse({ type: VietQrView })
  @ApiResponse({ status: 422, description: 'NO_VIETQR' })
  vietqr(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id', 'Mã')) id: string) {
    return this.payments.vietqr(user, id);
  }

  @Post('payments/:id/counter')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Thu tại quầy / An officer records a cash or card payment at the desk (issues the receipt)' })
  @ApiCreatedResponse({ type: PaidView })
  @ApiResponse({ status: 422, description: 'AMOUNT_MISMATCH, NOT_COLLECTED_HERE' })
  counter(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id', 'Mã')) id: string, @Body() body: CounterPaymentDto) {
    return this.payments.recordCounter(user, id, body);
  }

  @Post('payments/:id/bank-transfer')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Đối soát chuyển khoản / An officer (or a statement import) matches a VietQR transfer to the request' })
  @ApiCreatedResponse({ type: PaidView })
  bankTransfer(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id', 'Mã')) id: string, @Body() body: BankTransferDto) {
    return this.payments.matchTransfer(user, id, body);
  }

  @Post('payments/bank-statements')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOperation({
    summary: "Nhập sao kê ngân hàng / Matches a bank statement's transfers to pending requests by the reference in their content (each line once)",
  })
  @ApiOkResponse({ type: [StatementResultView] })
  bankStatement(@CurrentUser() user: AuthUser, @Body() body: BankStatementDto) {
    return this.payments.importStatement(user, body.lines);
  }

  @Post('payments/:id/cancel')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Hủy yêu cầu thanh toán / Cancels a pending request' })
  @ApiOkResponse({ type: PaymentViewDto })
  cancel(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id', 'Mã')) id: string, @Body() body: PaymentReasonDto) {
    return this.payments.cancel(user, id, body.reason);
  }

  @Post('payments/:id/refund')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOperation({
    summary:
      'Hoàn tiền / Pays a PAID request back, once: through the platform when paid there (claimed as REFUNDING first, then sent with its refund id as the idempotency key)',
  })
  @ApiOkResponse({ type: PaymentViewDto, description: 'REFUNDED' })
  @ApiResponse({
    status: 202,
    type: PaymentViewDto,
    description: 'REFUNDING: claimed, not confirmed by the platform yet (refundError says why); the reconciliation job finishes it with the same refund id',
  })
  @ApiResponse({ status: 409, description: 'NOT_PAID, REFUND_IN_PROGRESS (another request claimed the refund)' })
  @ApiResponse({ status: 503, description: 'NO_ONLINE_PAYMENT' })
  async refund(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id', 'Mã')) id: string,
    @Body() body: PaymentReasonDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { payment, settled } = await this.payments.refund(user, id, body.reason);
    if (!settled) res.status(202);
    return payment;
  }

  @Post('payments/callbacks/paygov')
  @Public()
  @ApiOperation({
    summary:
      "Kết quả thanh toán từ Nền tảng thanh toán quốc gia / The platform's callback: checksum checked in constant time, only signed fields read, signed time within PAYGOV_CALLBACK_WINDOW_MINUTES, matched to the amount, idempotent; answered as the platform expects (docs/PAYMENTS.md)",
  })
  @ApiBody({ schema: { type: 'object', additionalProperties: true, description: "The platform's message (paygov-adapter.ts)" } })
  @ApiResponse({
    status: 200,
    description:
      '{ errorCode, message, code? }: "00" received, "97" bad checksum, "94" signed time outside the window, "04" amount mismatch, "01" unknown reference, "99" malformed; a refusal also carries our stable `code` (PAYMENT_CALLBACK_*)',
    schema: {
      type: 'object',
      required: ['errorCode', 'message'],
      properties: { errorCode: { type: 'string', example: '00' }, message: { type: 'string' }, code: { type: 'string', example: 'PAYMENT_CALLBACK_STALE' } },
    },
  })
  async paygovCallback(@Body() body: unknown, @Res() res: Response): Promise<void> {
    const answer = await this.payments.handlePaygovCallback(body);
    res.status(answer.status).json(answer.body);
  }

  @Post('admin/payments/reconcile')
  @HttpCode(200)
  @Roles(Role.ADMIN)
  @ApiOperation({ summary: 'Đối soát ngay / Runs one pass of the reconciliation job (it also runs on workers every PAYMENT_RECONCILE_MS)' })
  @ApiOkResponse({ type: ReconcileView })
  reconcile() {
    return this.payments.reconcile();
  }

  @Get('admin/receipts/daily')
  @Roles(Role.ADMIN)
  @ApiOperation({ summary: 'Tổng hợp biên lai theo ngày / The daily summary per series for the tax authority' })
  @ApiOkResponse({ type: [DailySummaryView] })
  daily(@Query() q: DailyQueryDto) {
    return this.receipts.daily(q.date, q.agencyCode);
  }

  @Put('admin/fee-collectors/:agencyCode')
  @Roles(Role.ADMIN)
  @ApiOperation({ summary: "Thiết lập đơn vị thu / A collecting agency's tax code, receipt form and series, beneficiary account, treasury and VietQR account" })
  @ApiOkResponse({ type: FeeCollectorDto })
  async setCollector(@Param('agencyCode') agencyCode: string, @Body() b: FeeCollectorDto) {
    return this.receipts.setCollector(
      {
        agencyCode,
        taxCode: b.taxCode ?? null,
        formCode: b.formCode ?? DEFAULT_FORM_CODE,
        seriesPrefix: b.seriesPrefix ?? DEFAULT_SERIES_PREFIX,
        beneficiaryAccount: b.beneficiaryAccount ?? null,
        treasuryCode: b.treasuryCode ?? null,
        vietqrBankBin: b.vietqrBankBin ?? null,
        vietqrAccountNo: b.vietqrAccountNo ?? null,
      },
      this.clock.now(),
    );
  }
}
