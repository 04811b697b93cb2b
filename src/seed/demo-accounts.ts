import type { INestApplication } from '@nestjs/common';
import { UsersService } from '../auth/users.service.js';
import { Role } from '../common/auth-context.js';
import { AppError } from '../common/errors.js';
import { DEMO_PROVINCIAL_CENTRE_CODE } from './demo-catalog.js';

/** The password of every demo account (README lists them). Demo data only: never in production. */
export const DEMO_PASSWORD = 'Demo@2026';

/** A citizen with a CCCD of the right form (Hà Nội, male, born 1990). */
export const DEMO_CITIZEN = {
  idNumber: '001090000001',
  fullName: 'Nguyễn Văn An',
  dateOfBirth: '1990-05-12',
  phone: '0912345678',
  email: 'an.nguyen@example.vn',
};

export const DEMO_STAFF = [
  // Phường Hạc Thành: receives and resolves commune-level procedures.
  { username: 'tiepnhan.hacthanh', fullName: 'Lê Thị Thu (một cửa phường Hạc Thành)', role: Role.RECEPTION_OFFICER, agencyCode: '000.00.20.H56' },
  { username: 'chuyenvien.hacthanh', fullName: 'Trần Văn Minh (chuyên viên tư pháp – hộ tịch)', role: Role.SPECIALIST, agencyCode: '000.00.20.H56' },
  { username: 'lanhdao.hacthanh', fullName: 'Phạm Quốc Hùng (Phó Chủ tịch UBND phường)', role: Role.LEADER, agencyCode: '000.00.20.H56' },
  // Provincial centre and a department that resolves provincial procedures.
  { username: 'tiepnhan.tinh', fullName: 'Đỗ Thị Lan (Trung tâm PVHCC tỉnh)', role: Role.RECEPTION_OFFICER, agencyCode: DEMO_PROVINCIAL_CENTRE_CODE },
  { username: 'chuyenvien.congan', fullName: 'Hoàng Văn Nam (Công an tỉnh)', role: Role.SPECIALIST, agencyCode: '000.00.05.H56' },
  { username: 'lanhdao.congan', fullName: 'Vũ Đức Thắng (Công an tỉnh)', role: Role.LEADER, agencyCode: '000.00.05.H56' },
] as const;

/** CCCD numbers (Thanh Hóa, 038…) in the demo leaders' signing certificates (see src/signatures/trust/demo-pki.ts). */
export const DEMO_LEADER_CCCD: Record<string, string> = { 'lanhdao.hacthanh': '038079000101', 'lanhdao.congan': '038080000102' };

/**
 * Demo staff and one demo citizen, each marked as the demo's (User.demoAccount: a production start
 * refuses them); accounts that already exist are left as they are.
 */
export async function seedDemoAccounts(app: INestApplication, say: (line: string) => void): Promise<void> {
  const users = app.get(UsersService);
  let created = 0;
  for (const s of DEMO_STAFF) {
    if (await users.findByUsername(s.username)) continue;
    if (await createdNow(() => users.createStaff({ ...s, password: DEMO_PASSWORD }))) {
      await users.markDemoAccount(s.username);
      created++;
    }
  }
  // The demo citizen is an ordinary (unverified) password account, as after self-registration.
  if (await users.registerCitizen({ ...DEMO_CITIZEN, password: DEMO_PASSWORD })) {
    await users.markDemoAccount(DEMO_CITIZEN.idNumber);
    created++;
  }
  if (created) say(`demo accounts created: ${created} (password ${DEMO_PASSWORD})`);
}

/** Another replica seeding at the same moment may create the account first: that is fine. */
async function createdNow(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (e) {
    if (e instanceof AppError && e.code === 'ACCOUNT_EXISTS') return false;
    throw e;
  }
}
