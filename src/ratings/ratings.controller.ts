import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Role, Roles, STAFF_ROLES, type AuthUser } from '../common/auth-context.js';
import { ComplaintListView, ComplaintView, DossierRatingView, FileComplaintDto, RateDossierDto } from './dto/rating.dto.js';
import { COMPLAINT_MAX_CHARS, COMPLAINTS_PER_DAY, COMPLAINTS_PER_DOSSIER, CORRECTION_WINDOW_DAYS, MAX_CORRECTIONS } from './rating-rules.js';
import { RatingsService } from './ratings.service.js';

const NOT_YOURS = "DOSSIER_NOT_FOUND (also when the dossier is not the caller's: existence does not leak)";
const BAD_BODY = 'VALIDATION_FAILED (`overall`, `comment`), UNKNOWN_FIELD';

/**
 * The citizen's satisfaction rating of a returned dossier (Circular 01/2018) and their complaints
 * (phản ánh, kiến nghị). Only the dossier's owner writes (the guard admits citizens; a citizen
 * who does not own the dossier gets 404); the owner and the staff who may see the dossier read.
 */
@ApiTags('ratings')
@Controller('dossiers')
export class RatingsController {
  constructor(@Inject(RatingsService) private readonly ratings: RatingsService) {}

  @Get(':idOrCode/rating')
  @Roles(Role.CITIZEN, ...STAFF_ROLES)
  @ApiOperation({
    operationId: 'getDossierRating',
    summary: "Đánh giá mức độ hài lòng của hồ sơ / The dossier's satisfaction rating: the revision that counts, every revision, the 9 indicators",
    description:
      "For the owner and the staff of the dossier's receiving centre and competent agency. Before any rating `latest` is null and `canRate` says whether the caller may rate now.",
  })
  @ApiOkResponse({ type: DossierRatingView })
  @ApiResponse({ status: 404, description: NOT_YOURS })
  get(@CurrentUser() user: AuthUser, @Param('idOrCode') idOrCode: string): Promise<DossierRatingView> {
    return this.ratings.ratingOf(user, idOrCode);
  }

  @Post(':idOrCode/rating')
  @HttpCode(201)
  @Roles(Role.CITIZEN)
  @ApiOperation({
    operationId: 'rateDossier',
    summary: 'Đánh giá hồ sơ / The owner rates the dossier once its result is returned',
    description:
      'Overall verdict, the 9 indicators (0–2 each) and an optional comment. The total (0–18) and its band are computed here; the rating is tied to the officers of each step ' +
      "(from the dossier's history) and recorded in the history (`RATED`). Once only: a change is a correction (`POST …/rating/corrections`).",
  })
  @ApiCreatedResponse({ type: DossierRatingView })
  @ApiResponse({ status: 400, description: BAD_BODY })
  @ApiResponse({ status: 404, description: NOT_YOURS })
  @ApiResponse({ status: 409, description: 'RESULT_NOT_RETURNED (status is not RETURNED), ALREADY_RATED' })
  @ApiResponse({ status: 422, description: 'INVALID_SCORES, with `details[].field` = `scores.<code>`' })
  rate(@CurrentUser() user: AuthUser, @Param('idOrCode') idOrCode: string, @Body() body: RateDossierDto): Promise<DossierRatingView> {
    return this.ratings.rate(user, idOrCode, body);
  }

  @Post(':idOrCode/rating/corrections')
  @HttpCode(201)
  @Roles(Role.CITIZEN)
  @ApiOperation({
    operationId: 'correctDossierRating',
    summary: 'Đính chính đánh giá / The owner corrects the rating: a new revision (the earlier ones are kept unchanged)',
    description:
      `The whole rating again, as for the rating. Within ${CORRECTION_WINDOW_DAYS} days of the rating, at most ${MAX_CORRECTIONS} times; the last revision is the one the figures count. ` +
      'Recorded in the history (`RATING_CORRECTED`).',
  })
  @ApiCreatedResponse({ type: DossierRatingView })
  @ApiResponse({ status: 400, description: BAD_BODY })
  @ApiResponse({ status: 404, description: NOT_YOURS })
  @ApiResponse({ status: 409, description: 'NOT_RATED, CORRECTION_WINDOW_CLOSED, TOO_MANY_CORRECTIONS' })
  @ApiResponse({ status: 422, description: 'INVALID_SCORES, with `details[].field` = `scores.<code>`' })
  correct(@CurrentUser() user: AuthUser, @Param('idOrCode') idOrCode: string, @Body() body: RateDossierDto): Promise<DossierRatingView> {
    return this.ratings.correct(user, idOrCode, body);
  }

  @Get(':idOrCode/complaints')
  @Roles(Role.CITIZEN, ...STAFF_ROLES)
  @ApiOperation({
    operationId: 'listDossierComplaints',
    summary: "Phản ánh, kiến nghị về hồ sơ / The dossier's complaints, oldest first (owner and the dossier's staff)",
  })
  @ApiOkResponse({ type: ComplaintListView })
  @ApiResponse({ status: 404, description: NOT_YOURS })
  complaints(@CurrentUser() user: AuthUser, @Param('idOrCode') idOrCode: string): Promise<ComplaintListView> {
    return this.ratings.complaintsOf(user, idOrCode);
  }

  @Post(':idOrCode/complaints')
  @HttpCode(201)
  @Roles(Role.CITIZEN)
  @ApiOperation({
    operationId: 'fileDossierComplaint',
    summary: 'Gửi phản ánh, kiến nghị / The owner files a complaint about the dossier (any time after filing)',
    description:
      `Up to ${COMPLAINT_MAX_CHARS} characters, not blank. At most ${COMPLAINTS_PER_DAY} per dossier in any 24 hours (429 with Retry-After) and ${COMPLAINTS_PER_DOSSIER} in all. ` +
      "Recorded in the history (`COMPLAINT_FILED`, with the text's SHA-256); counted in Decision 766's indicator 5.4.",
  })
  @ApiCreatedResponse({ type: ComplaintView })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (`content`), UNKNOWN_FIELD' })
  @ApiResponse({ status: 404, description: NOT_YOURS })
  @ApiResponse({ status: 409, description: 'COMPLAINT_LIMIT_REACHED' })
  @ApiResponse({ status: 429, description: 'COMPLAINTS_TOO_FREQUENT (Retry-After), or the per-client rate limit' })
  file(@CurrentUser() user: AuthUser, @Param('idOrCode') idOrCode: string, @Body() body: FileComplaintDto): Promise<ComplaintView> {
    return this.ratings.fileComplaint(user, idOrCode, body.content);
  }
}
