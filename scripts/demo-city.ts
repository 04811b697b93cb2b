import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import { buildAppConfig } from '../src/config/app-config.js';
import { validateEnv } from '../src/config/env.js';
import { migrate } from '../src/database/data-source.js';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres.js';
import { startEmbeddedRedis } from '../src/infra/embedded-redis.js';
import { IndicatorsService } from '../src/reports/indicators.service.js';
import { renderIndicatorReport } from '../src/reports/render/index.js';
import { ReportFactsService } from '../src/reports/report-facts.service.js';
import type { IndicatorReport } from '../src/reports/report-types.js';
import { CITY_PROFILE, agenciesOf, endOf, expectedTotals, generateReportData } from './report-data.js';

/**
 * `npm run demo:city`: the seeds' kind of report, reproduced (issue 15 part 5). On the script's own
 * PostgreSQL and Redis (nothing of the demo database is touched), it writes a city-sized history
 * by the bulk generator (scripts/report-data.ts, CITY_PROFILE: a city offering 164 of 270
 * procedures online — 53 full, 111 partial —, 49,665 dossiers over 9 months of 2026, 99.69 %
 * online, none overdue, 57.99 % of results electronic), builds the figures' facts by the service's
 * rebuild path, and prints the city's Decision 766 table from IndicatorsService — the same code the
 * API serves — and whether every count equals what the generator put in. The PDF report and the
 * XLSX table go to .data/demo-city/. DEMO_CITY_DOSSIERS scales it down.
 */
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const profile = { ...CITY_PROFILE, dossiers: Number(process.env.DEMO_CITY_DOSSIERS ?? CITY_PROFILE.dossiers) };
const work = path.join(root, '.data', `demo-city-${process.pid}`);
const out = path.join(root, '.data', 'demo-city');
mkdirSync(work, { recursive: true });
mkdirSync(out, { recursive: true });
const say = (line = '') => process.stdout.write(`${line}\n`);
const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(2).replace('.', ',')} %`);
const n = (v: number) => v.toLocaleString('vi-VN');

/** The report as the province writes it: the 766 table, then the counts behind it. */
export function printReport(r: IndicatorReport, print: (line?: string) => void): void {
  print(`BÁO CÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH — ${r.agency.name} (${r.agency.code}), ${r.period.label}`);
  print(
    `Thủ tục hành chính: ${n(r.procedures.total)}, trong đó trực tuyến ${n(r.procedures.fullOnline + r.procedures.partialOnline)} (toàn trình ${n(r.procedures.fullOnline)}, một phần ${n(r.procedures.partialOnline)})`,
  );
  const c = r.counts;
  print(
    `Hồ sơ tiếp nhận: ${n(c.received.total)} (trực tuyến ${n(c.received.online)}, trực tiếp ${n(c.received.counter)}, bưu chính ${n(c.received.postal)}); kỳ trước chuyển sang và tiếp nhận: ${n(c.processed)}`,
  );
  print(
    `Đã giải quyết: ${n(c.finished.total)} (trước hạn ${n(c.finished.early)}, đúng hạn ${n(c.finished.onTime)}, quá hạn ${n(c.finished.late)}); đang giải quyết: ${n(c.inProgress.total)} (trong hạn ${n(c.inProgress.onTime)}, quá hạn ${n(c.inProgress.overdue)})`,
  );
  print(
    `Từ chối ${n(c.refused)}, rút ${n(c.withdrawn)}, dừng ${n(c.stopped)}; lượt yêu cầu bổ sung ${n(c.supplementRounds)}; đánh giá ${n(c.ratings.total)} (không hài lòng ${n(c.ratings.notSatisfied)}); phản ánh ${n(c.complaints)}`,
  );
  print();
  print(`${'Chỉ số'.padEnd(6)} ${'Nội dung'.padEnd(58)} ${'Tử số'.padStart(9)} ${'Mẫu số'.padStart(9)} ${'Tỷ lệ'.padStart(9)} ${'Điểm'.padStart(9)}`);
  for (const row of r.indicators) {
    const points = row.points === null ? '–' : `${row.points.toFixed(2)}/${row.maxPoints}`;
    print(
      `${row.code.padEnd(6)} ${row.label.vi.slice(0, 58).padEnd(58)} ${n(row.numerator).padStart(9)} ${n(row.denominator).padStart(9)} ${pct(row.rate).padStart(9)} ${points.padStart(9)}`,
    );
  }
}

const pgServer = await startEmbeddedPostgres({ dir: path.join(work, 'postgres'), database: 'motcua' });
const redisServer = await startEmbeddedRedis({ dir: path.join(work, 'redis'), persistent: false });
const db = new pg.Pool({ connectionString: pgServer.localUrl, max: 2 });
let app: Awaited<ReturnType<typeof createApp>> | undefined;
try {
  await migrate(pgServer.url);
  const env = validateEnv({ DATA_DIR: work, LOG_LEVEL: 'error', APP_ROLE: 'all', SEED_DEMO: 'false', RATE_LIMIT_PER_MINUTE: '0' });
  app = await createApp(buildAppConfig(env, { databaseUrl: pgServer.localUrl, redisUrl: redisServer.url, embedded: false }));
  await app.init();
  const t0 = Date.now();
  say(`demo:city — ${n(profile.dossiers)} hồ sơ / dossiers, ${profile.months} tháng từ ${profile.start}`);
  await generateReportData(db, profile, { root });
  await app.get(ReportFactsService).rebuild();
  say(`  generated and counted in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  say();
  const city = agenciesOf(profile).province;
  const indicators = app.get(IndicatorsService);
  const q = { agencyCode: city, subtree: true, from: profile.start, to: endOf(profile) };
  const report = await indicators.report(q);
  printReport(report, say);

  const e = expectedTotals(profile);
  const c = report.counts;
  const checks: Array<[string, number, number]> = [
    ['received', c.received.total, e.received],
    ['online', c.received.online, e.online],
    ['counter', c.received.counter, e.counter],
    ['postal', c.received.postal, e.postal],
    ['finished', c.finished.total, e.finished],
    ['late', c.finished.late, e.late],
    ['open', c.inProgress.total, e.open],
    ['overdue open', c.inProgress.overdue, e.overdueOpen],
    ['refused', c.refused, e.refused],
    ['withdrawn', c.withdrawn, e.withdrawn],
    ['electronic results', c.electronicResult, e.electronicResult],
    ['digitised', c.digitised, e.digitised],
    ['reused', c.reused, e.reused],
    ['paid online', c.paidOnline, e.paidOnline],
    ['synced', c.synced, e.synced],
    ['supplement rounds', c.supplementRounds, e.supplementRounds],
    ['ratings', c.ratings.total, e.rated],
    ['not satisfied', c.ratings.notSatisfied, e.notSatisfied],
    ['complaints', c.complaints, e.complaints],
    ['procedures', report.procedures.total, profile.procedures.total],
    ['full online', report.procedures.fullOnline, profile.procedures.fullOnline],
    ['partial online', report.procedures.partialOnline, profile.procedures.partialOnline],
  ];
  const wrong = checks.filter(([, got, want]) => got !== want);
  say();
  say(
    wrong.length === 0
      ? `  ✓ every figure equals what the generator put in (${checks.length} counts)`
      : `  ✗ differs from the generator: ${wrong.map(([k, got, want]) => `${k} ${got} ≠ ${want}`).join(', ')}`,
  );
  if (wrong.length > 0) process.exitCode = 1;
  const series = await indicators.series(q);
  for (const format of ['pdf', 'xlsx'] as const) {
    const file = await renderIndicatorReport(format, report, series);
    writeFileSync(path.join(out, file.filename), file.body);
    say(`  ${format.toUpperCase()}: ${path.relative(process.cwd(), path.join(out, file.filename))}`);
  }
} finally {
  await app?.close().catch(() => undefined);
  await db.end();
  await redisServer.stop();
  await pgServer.stop();
  rmSync(work, { recursive: true, force: true });
}
