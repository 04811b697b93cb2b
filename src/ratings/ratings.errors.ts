import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';
import { CORRECTION_WINDOW_DAYS, MAX_CORRECTIONS } from './rating-rules.js';

const { UNPROCESSABLE_ENTITY, CONFLICT, TOO_MANY_REQUESTS } = HttpStatus;

/** Satisfaction ratings (Circular 01/2018) and complaints (phản ánh, kiến nghị) of a dossier. */
export const RatingErrors = defineErrors('ratings', {
  INVALID_SCORES: [
    UNPROCESSABLE_ENTITY,
    'Điểm đánh giá không hợp lệ: chấm đủ 9 chỉ tiêu, mỗi chỉ tiêu 0–2 điểm / Invalid scores: all 9 indicators, each an integer from 0 to 2',
  ],
  RESULT_NOT_RETURNED: [CONFLICT, 'Chỉ đánh giá sau khi hồ sơ đã trả kết quả / A dossier is rated once its result is returned (status RETURNED, 10)'],
  ALREADY_RATED: [CONFLICT, 'Hồ sơ đã được đánh giá; dùng chức năng đính chính / This dossier is already rated: send a correction instead'],
  NOT_RATED: [CONFLICT, 'Hồ sơ chưa được đánh giá / This dossier has no rating to correct'],
  CORRECTION_WINDOW_CLOSED: [
    CONFLICT,
    `Đã quá ${CORRECTION_WINDOW_DAYS} ngày kể từ khi đánh giá: không đính chính được nữa / A rating may be corrected within ${CORRECTION_WINDOW_DAYS} days of being made`,
  ],
  TOO_MANY_CORRECTIONS: [CONFLICT, `Đánh giá đã được đính chính ${MAX_CORRECTIONS} lần / A rating may be corrected at most ${MAX_CORRECTIONS} times`],
  COMPLAINT_LIMIT_REACHED: [
    CONFLICT,
    (max: number) => `Hồ sơ đã có ${max} phản ánh, kiến nghị / This dossier already has ${max} complaints, the most it may have`,
  ],
  COMPLAINTS_TOO_FREQUENT: [
    TOO_MANY_REQUESTS,
    (_retryAfterSeconds: number, perDay: number) =>
      `Tối đa ${perDay} phản ánh cho một hồ sơ trong 24 giờ / At most ${perDay} complaints per dossier in 24 hours`,
  ],
});
