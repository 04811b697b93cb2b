import { Inject, Injectable } from '@nestjs/common';
import { AgenciesService } from '../agencies/agencies.service.js';
import { UsersService } from '../auth/users.service.js';
import { timeliness } from '../calendar/working-calendar.js';
import { CatalogService } from '../catalog/catalog.service.js';
import type { AuthUser } from '../common/auth-context.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { DeadlinesService } from '../deadlines/deadlines.service.js';
import { DossierRecords, type HistoryEntry as DossierEventView } from '../dossier-record/dossier-records.js';
import type { FormModel, FormNumber } from './form-model.js';
import { form01, form02, form03, form04, form05, form06, form07, type DossierForForm, type Handoff, type Register } from './forms.js';
import { STAFF_ROLES } from '../common/auth-context.js';
import { CommonErrors } from '../common/common.errors.js';
import { STATUS_LABEL_VI } from '../dossier-record/dossier-status.js';
import { renderFormPdf } from './pdf-renderer.js';
import { FormErrors } from './forms.errors.js';
import type { RenderedFile } from '../common/render/files.js';
import { renderRegister } from './register-export.js';
import { EVENT, type DossierEventType } from '../dossier-record/event-types.js';

const UNIT_TEXT = { WORKING_DAYS: 'ngày làm việc', WORKING_HOURS: 'giờ làm việc', CALENDAR_DAYS: 'ngày' } as const;
const NOT_AVAILABLE = (number: FormNumber, why: string) => FormErrors.FORM_NOT_AVAILABLE(number, why, { form: number, reason: why });

/** The place on a form's date line: the province's name without "Ủy ban nhân dân tỉnh". */
export function placeName(provinceName: string): string {
  return provinceName.replace(/^(Ủy ban nhân dân|UBND)\s+(tỉnh|thành phố)\s+/i, '').trim();
}

/**
 * Fills the legal forms (Circular 01/2018, renumbered by 03/2025) from a dossier, its history and
 * its clocks, for whoever may see the dossier. A form exists once the step that issues it happened.
 */
@Injectable()
export class FormsService {
  constructor(
    @Inject(DossierRecords) private readonly dossiers: DossierRecords,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(AgenciesService) private readonly agencies: AgenciesService,
    @Inject(DeadlinesService) private readonly deadlines: DeadlinesService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async render(user: AuthUser, idOrCode: string, number: FormNumber): Promise<{ pdf: Buffer; fileName: string }> {
    const form = await this.build(user, idOrCode, number);
    return { pdf: await renderFormPdf(form), fileName: `mau-${number}-${form.dossierCode}.pdf` };
  }

  /**
   * Mẫu 07, the register of a centre: the dossiers it received (filed at it) between two Vietnam
   * dates, for its own staff. At most REGISTER_MAX_DAYS and REGISTER_MAX_ENTRIES lines.
   */
  async register(user: AuthUser, agencyCode: string, from: string, to: string): Promise<{ pdf: Buffer; fileName: string; entries: number }> {
    const register = await this.registerEntries(user, agencyCode, from, to);
    return { pdf: await renderFormPdf(form07(register)), fileName: `mau-07-${agencyCode}-${from}-${to}.pdf`, entries: register.entries.length };
  }

  /** The register as a spreadsheet (CSV or XLSX): form 07's lines, its readers and its limits. */
  async registerExport(user: AuthUser, agencyCode: string, from: string, to: string, format: 'csv' | 'xlsx'): Promise<RenderedFile> {
    return renderRegister(format, await this.registerEntries(user, agencyCode, from, to));
  }

  /**
   * The register's lines, for form 07 (PDF) and its CSV/XLSX export alike: only the centre's own
   * staff read them; the period is at most REGISTER_MAX_DAYS and REGISTER_MAX_ENTRIES lines (a
   * longer one is refused, never cut).
   */
  async registerEntries(user: AuthUser, agencyCode: string, from: string, to: string): Promise<Register> {
    if (user.kind !== 'user' || !(STAFF_ROLES as readonly string[]).includes(user.role) || user.agencyCode !== agencyCode) {
      throw CommonErrors.FORBIDDEN('Chỉ cán bộ của trung tâm xem sổ theo dõi của trung tâm', 'Only the centre’s own staff read its register');
    }
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (!(days >= 0))
      throw CommonErrors.VALIDATION_FAILED('Ngày bắt đầu sau ngày kết thúc', '`from` is after `to`', [{ field: 'from', message: 'on or before `to`' }]);
    if (days >= REGISTER_MAX_DAYS)
      throw CommonErrors.VALIDATION_FAILED('Kỳ quá dài', `A register covers at most ${REGISTER_MAX_DAYS} days`, [
        { field: 'to', message: `at most ${REGISTER_MAX_DAYS} days after from` },
      ]);
    const [centre, province, rows] = await Promise.all([
      this.agencies.getByCode(agencyCode),
      this.agencies.province(agencyCode),
      this.dossiers.receivedBetween(agencyCode, from, to, REGISTER_MAX_ENTRIES + 1),
    ]);
    if (rows.length > REGISTER_MAX_ENTRIES) {
      throw FormErrors.REGISTER_TOO_LONG(REGISTER_MAX_ENTRIES, [
        { field: 'to', message: `more than ${REGISTER_MAX_ENTRIES} dossiers: choose a shorter period` },
      ]);
    }
    const parent = centre.parentCode ? await this.agencies.findByCode(centre.parentCode) : null;
    const deadlines = await this.deadlines.deadlineOf(rows.map((r) => r.id));
    const procedures = new Map<string, string>();
    for (const key of new Set(rows.map((r) => `${r.procedure_code}@${r.procedure_version}`))) {
      const [code, version] = key.split('@');
      procedures.set(key, (await this.catalog.getProcedureVersion(code, Number(version))).name);
    }
    const at = (d: Date | string | null) => (d ? new Date(d) : null);
    return {
      centre: { code: agencyCode, name: centre.name, parentName: parent?.name },
      place: placeName(province.name),
      from,
      to,
      at: this.clock.now(),
      entries: rows.map((r) => ({
        code: r.code,
        procedureCode: r.procedure_code,
        procedureName: procedures.get(`${r.procedure_code}@${r.procedure_version}`)!,
        applicantName: r.applicant.fullName,
        channel: r.channel,
        submittedAt: new Date(r.submitted_at),
        receivedAt: at(r.received_at),
        dueAt: at(deadlines.get(r.id)?.dueAt ?? null),
        finishedAt: at(r.resolved_at),
        statusLabel: STATUS_LABEL_VI[r.status],
      })),
    };
  }

  async build(user: AuthUser, idOrCode: string, number: FormNumber): Promise<FormModel> {
    const row = await this.dossiers.findVisibleRow(user, idOrCode);
    const { events } = await this.dossiers.history(user, row.id);
    const [procedure, receiving, competent, province, deadline] = await Promise.all([
      this.catalog.getProcedureVersion(row.procedure_code, row.procedure_version),
      this.agencies.getByCode(row.receiving_agency_code),
      this.agencies.getByCode(row.competent_agency_code),
      this.agencies.province(row.receiving_agency_code),
      this.deadlines.deadlineOf([row.id]).then((m) => m.get(row.id) ?? null),
    ]);
    const parent = receiving.parentCode ? await this.agencies.findByCode(receiving.parentCode) : null;
    const names = new Map(
      (await Promise.all([...new Set(events.map((e) => e.actorId).filter((id): id is string => !!id))].map((id) => this.users.findById(id))))
        .filter((u) => u !== null)
        .map((u) => [u!.id, u!.fullName]),
    );
    const componentName = new Map(procedure.components.map((c) => [c.code, c.name]));
    const last = (type: DossierEventType) => [...events].reverse().find((e) => e.type === type);
    const accepted = last(EVENT.ACCEPT);
    const d: DossierForForm = {
      code: row.code,
      procedureCode: procedure.code,
      procedureName: procedure.name,
      timeLimitText: `${String(procedure.timeLimit.value).padStart(2, '0')} ${UNIT_TEXT[procedure.timeLimit.unit]}`,
      applicant: row.applicant,
      receiving: { name: receiving.name, parentName: parent?.name },
      competentName: competent.name,
      place: placeName(province.name),
      receivedAt: new Date(accepted?.at ?? row.submitted_at),
      dueAt: deadline?.dueAt ? new Date(deadline.dueAt) : undefined,
      attachments: (row.attachments ?? []).map((a) => ({
        componentCode: a.componentCode,
        name: `${componentName.get(a.componentCode) ?? a.componentCode}${SOURCE_NOTE[a.source] ?? ''}`,
      })),
      resultDelivery: row.result_delivery,
      channel: row.channel,
      lookupUrl: `${this.config.publicBaseUrl}/api/v1/public/dossiers/${encodeURIComponent(row.code)}`,
    };
    const by = (e: DossierEventView) => (e.actorId ? names.get(e.actorId) : undefined) ?? 'Người tiếp nhận hồ sơ';

    switch (number) {
      case '01':
        if (!accepted) throw NOT_AVAILABLE(number, 'chưa được tiếp nhận / not accepted');
        return form01(d);
      case '02': {
        const e = last(EVENT.REQUEST_SUPPLEMENT);
        if (!e) throw NOT_AVAILABLE(number, 'không có yêu cầu bổ sung / no supplement request');
        const items = (e.data.items as Array<{ componentCode?: string; description: string }>).map((i) =>
          i.componentCode ? `${i.description} (${i.componentCode})` : i.description,
        );
        return form02(d, { at: new Date(e.at), items, supplementDueAt: new Date(e.data.supplementDueAt as string), requestedBy: by(e) });
      }
      case '03': {
        const e = last(EVENT.REFUSE) ?? [...events].reverse().find((x) => x.type === EVENT.APPROVE && x.data.outcome === 'DENIED');
        if (!e) throw NOT_AVAILABLE(number, 'không bị từ chối / not refused');
        return form03(d, { at: new Date(e.at), reasons: e.data.reasons as string[], by: by(e) });
      }
      case '04': {
        const e = last(EVENT.RESCHEDULE);
        if (!e) throw NOT_AVAILABLE(number, 'chưa hẹn lại / not rescheduled');
        return form04(
          { ...d, dueAt: new Date(e.data.previousDueAt as string) },
          { at: new Date(e.at), reason: e.data.reason as string, newDueAt: new Date(e.data.newDueAt as string), by: by(e) },
        );
      }
      case '05': {
        const e = last(EVENT.STOP);
        if (!e) throw NOT_AVAILABLE(number, 'không bị dừng xử lý / not stopped');
        return form05(d, { at: new Date(e.at), reason: e.data.reason as string, by: by(e) });
      }
      case '06':
        if (!accepted) throw NOT_AVAILABLE(number, 'chưa được tiếp nhận / not accepted');
        return form06(d, handoffs(events, names), this.clock.now());
    }
  }
}

/** How form 01 marks a component that was not simply uploaded. */
const SOURCE_NOTE: Partial<Record<string, string>> = {
  SCANNED: ' – bản số hóa tại Bộ phận Một cửa',
  REUSED: ' – tái sử dụng từ kho dữ liệu',
  STATE_DATA: ' – khai thác từ cơ sở dữ liệu',
};

/** The longest period one register covers, and the most lines it prints (a longer one: ask for a shorter period). */
export const REGISTER_MAX_DAYS = 366;
export const REGISTER_MAX_ENTRIES = 5000;

const HANDOFF_TYPES = new Set<string>([EVENT.ACCEPT, EVENT.ASSIGN, EVENT.CLAIM, EVENT.FORWARD, EVENT.SEND_BACK, EVENT.APPROVE, EVENT.RETURN]);

/**
 * The process control sheet's rows: every hand-off (who gave the dossier to whom, when), the due
 * instant of the step it started (from the STEP clock event that followed it) and whether that
 * step finished by then (judged when the next hand-off happened).
 */
export function handoffs(events: DossierEventView[], names: Map<string, string>): Handoff[] {
  const name = (id: unknown) => (typeof id === 'string' ? (names.get(id) ?? id) : 'Đơn vị giải quyết (chưa phân công)');
  const rows: Handoff[] = [];
  events.forEach((e, i) => {
    if (!HANDOFF_TYPES.has(e.type)) return;
    const actor = name(e.actorId);
    const [from, to] =
      e.type === EVENT.ACCEPT
        ? ['Người nộp hồ sơ', actor]
        : e.type === EVENT.CLAIM
          ? ['Đơn vị giải quyết', actor]
          : e.type === EVENT.APPROVE
            ? [actor, 'Bộ phận Một cửa']
            : e.type === EVENT.RETURN
              ? [actor, 'Người nộp hồ sơ']
              : [actor, name(e.data.assigneeId)];
    // The workflow writes the clock changes of an action before the action's own event: the STEP
    // clock this hand-off started is among the events since the previous hand-off.
    const before = events.slice(0, i);
    const since = before.length - 1 - [...before].reverse().findIndex((x) => HANDOFF_TYPES.has(x.type));
    const window = since >= before.length ? before : before.slice(since + 1);
    const stepClock = [...window].reverse().find((x) => x.data.kind === 'STEP' && x.data.state === 'RUNNING' && x.data.newDueAt);
    rows.push({ from, to, at: new Date(e.at), dueAt: stepClock ? new Date(stepClock.data.newDueAt as string) : undefined });
  });
  // A step ends at the next hand-off: on time or late against its own due instant.
  for (let i = 0; i < rows.length - 1; i++) {
    const due = rows[i].dueAt;
    if (due) rows[i].result = timeliness(rows[i + 1].at, due);
  }
  return rows;
}
