import { describe, expect, it } from '@jest/globals';
import { Role, type AuthUser } from '../../common/auth-context.js';
import { DossierStatus as S } from '../../dossier-record/dossier-status.js';
import { ACTIONS, allowedActions, decide, TRANSITIONS, type Action, type WorkflowFacts } from './transitions.js';

const CENTRE = '000.00.01.H56';
const DEPT = '000.00.05.H56';
const parties = { ownerUserId: 'citizen-1', holderIdNumber: null, receivingAgencyCode: CENTRE, competentAgencyCode: DEPT };
const now = new Date('2026-11-23T03:00:00Z');
const staff = (role: Role, agencyCode: string): AuthUser => ({ kind: 'user', id: `${role}-${agencyCode}`, username: 'x', role, agencyCode });
const receptionist = staff(Role.RECEPTION_OFFICER, CENTRE);
const specialist = staff(Role.SPECIALIST, DEPT);
const leader = staff(Role.LEADER, DEPT);
const citizen: AuthUser = { kind: 'user', id: 'citizen-1', username: '001090000001', role: Role.CITIZEN };
const stranger: AuthUser = { kind: 'user', id: 'citizen-2', username: '001090000002', role: Role.CITIZEN };
const portal: AuthUser = { kind: 'api-key', id: 'k', username: 'portal', role: Role.INTEGRATOR, scopes: ['dossiers:write'], agencyCodes: [] };
const facts = (status: S, more: Partial<WorkflowFacts> = {}): WorkflowFacts => ({ status, now, stepIndex: 0, stepCount: 3, ...more });
const ALL_STATUSES = Object.values(S);

describe('the workflow table', () => {
  it('is one row per action, each leading somewhere from at least one status', () => {
    expect(TRANSITIONS.map((t) => t.action).sort()).toEqual([...ACTIONS].sort());
    for (const t of TRANSITIONS) expect(t.from.length).toBeGreaterThan(0);
  });

  it('refuses every action from every status where it does not apply, whoever asks', () => {
    const everyone = [receptionist, specialist, leader, citizen, portal];
    for (const t of TRANSITIONS) {
      for (const status of ALL_STATUSES.filter((s) => !t.from.includes(s))) {
        for (const user of everyone) {
          expect({ action: t.action, status, decision: decide(t.action, user, parties, facts(status)) }).toEqual({
            action: t.action,
            status,
            decision: { allowed: false, reason: 'NOT_IN_THIS_STATUS' },
          });
        }
      }
    }
  });

  it('has no way out of the final statuses', () => {
    for (const status of [S.REFUSED, S.WITHDRAWN, S.STOPPED, S.RETURNED]) {
      expect(TRANSITIONS.filter((t) => t.from.includes(status))).toEqual([]);
    }
  });

  // Who may do what: a change to this list is a change in who can act on a citizen's dossier.
  it('gives each action to the right people', () => {
    const who = (status: S, action: Action, more: Partial<WorkflowFacts> = {}) =>
      [
        ['receptionist', receptionist],
        ['specialist', specialist],
        ['leader', leader],
        ['owner', citizen],
        ['stranger', stranger],
        ['integrator', portal],
        ['receptionist of the department', staff(Role.RECEPTION_OFFICER, DEPT)],
        ['leader of the centre', staff(Role.LEADER, CENTRE)],
      ]
        .filter(
          ([, u]) =>
            decide(action, u as AuthUser, parties, facts(status, { stepIndex: 2, supplementDueAt: new Date(0), ...more }), { originalsChecked: true }).allowed,
        )
        .map(([name]) => name);
    expect({
      accept: who(S.SUBMITTED, 'accept'),
      'request-supplement at reception': who(S.SUBMITTED, 'request-supplement'),
      'request-supplement in processing': who(S.IN_PROGRESS, 'request-supplement'),
      supplement: who(S.SUPPLEMENT_REQUESTED, 'supplement'),
      refuse: who(S.SUBMITTED, 'refuse'),
      assign: who(S.RECEIVED, 'assign'),
      'send-back': who(S.IN_PROGRESS, 'send-back'),
      'request-payment': who(S.IN_PROGRESS, 'request-payment'),
      'confirm-payment': who(S.AWAITING_PAYMENT, 'confirm-payment'),
      approve: who(S.IN_PROGRESS, 'approve'),
      'request-signature': who(S.RESOLVED, 'request-signature', { resultSignature: { status: 'REJECTED', indication: null } }),
      reschedule: who(S.IN_PROGRESS, 'reschedule'),
      return: who(S.RESOLVED, 'return'),
      withdraw: who(S.RECEIVED, 'withdraw'),
      stop: who(S.SUPPLEMENT_REQUESTED, 'stop'),
    }).toEqual({
      accept: ['receptionist'],
      'request-supplement at reception': ['receptionist'],
      'request-supplement in processing': ['specialist', 'leader'],
      supplement: ['receptionist', 'owner', 'integrator'],
      refuse: ['receptionist'],
      assign: ['receptionist', 'leader'],
      'send-back': ['specialist', 'leader'],
      'request-payment': ['specialist', 'leader'],
      'confirm-payment': ['receptionist', 'specialist', 'leader'],
      approve: ['leader'],
      'request-signature': ['leader'],
      reschedule: ['specialist', 'leader'],
      return: ['receptionist'],
      withdraw: ['owner'],
      stop: ['receptionist', 'leader'],
    });
  });
});

describe('where actions lead and what blocks them', () => {
  it('sends a supplement back to where it was requested', () => {
    expect(decide('supplement', citizen, parties, facts(S.SUPPLEMENT_REQUESTED, { supplementRequestedAt: S.SUBMITTED }))).toEqual({
      allowed: true,
      to: S.SUBMITTED,
    });
    expect(decide('supplement', citizen, parties, facts(S.SUPPLEMENT_REQUESTED, { supplementRequestedAt: S.IN_PROGRESS }))).toEqual({
      allowed: true,
      to: S.IN_PROGRESS,
    });
  });

  it('allows one re-appointment, no later than its deadline', () => {
    const before = new Date(now.getTime() + 3600_000);
    expect(decide('reschedule', leader, parties, facts(S.IN_PROGRESS, { rescheduleDeadline: before }))).toEqual({ allowed: true, to: S.IN_PROGRESS });
    expect(decide('reschedule', leader, parties, facts(S.IN_PROGRESS, { rescheduleDeadline: before, rescheduled: true }))).toMatchObject({
      allowed: false,
      failure: { code: 'ALREADY_RESCHEDULED' },
    });
    expect(decide('reschedule', leader, parties, facts(S.IN_PROGRESS, { rescheduleDeadline: new Date(now.getTime() - 1) }))).toMatchObject({
      allowed: false,
      failure: { code: 'RESCHEDULE_TOO_LATE' },
    });
  });

  it('stops a dossier only after the citizen’s supplement deadline', () => {
    expect(decide('stop', receptionist, parties, facts(S.SUPPLEMENT_REQUESTED, { supplementDueAt: new Date(now.getTime() + 1) }))).toMatchObject({
      failure: { code: 'SUPPLEMENT_DEADLINE_NOT_PASSED' },
    });
    expect(decide('stop', receptionist, parties, facts(S.SUPPLEMENT_REQUESTED, { supplementDueAt: new Date(now.getTime() - 1) }))).toEqual({
      allowed: true,
      to: S.STOPPED,
    });
  });

  it('moves through the internal steps in order and approves only at the last', () => {
    expect(decide('send-back', specialist, parties, facts(S.IN_PROGRESS, { stepIndex: 0 }))).toMatchObject({ failure: { code: 'FIRST_STEP' } });
    expect(decide('forward', specialist, parties, facts(S.IN_PROGRESS, { stepIndex: 1 }))).toEqual({ allowed: true, to: S.IN_PROGRESS });
    expect(decide('forward', leader, parties, facts(S.IN_PROGRESS, { stepIndex: 2 }))).toMatchObject({ failure: { code: 'LAST_STEP' } });
    expect(decide('approve', leader, parties, facts(S.IN_PROGRESS, { stepIndex: 1 }))).toMatchObject({ failure: { code: 'NOT_AT_LAST_STEP' } });
    expect(decide('approve', leader, parties, facts(S.IN_PROGRESS, { stepIndex: 2 }))).toEqual({ allowed: true, to: S.RESOLVED });
    expect(decide('claim', specialist, parties, facts(S.IN_PROGRESS, { stepAssigneeId: 'someone' }))).toMatchObject({
      failure: { code: 'STEP_ALREADY_ASSIGNED' },
    });
  });

  it('returns a partial-online result only once the originals were checked', () => {
    const f = facts(S.RESOLVED, { originalsToCheck: 2 });
    expect(decide('return', receptionist, parties, f)).toMatchObject({ failure: { code: 'ORIGINALS_NOT_CHECKED' } });
    expect(decide('return', receptionist, parties, f, { originalsChecked: true })).toEqual({ allowed: true, to: S.RETURNED });
  });

  it('returns a signed result only once its signature was verified as valid', () => {
    const at = (resultSignature: WorkflowFacts['resultSignature']) => decide('return', receptionist, parties, facts(S.RESOLVED, { resultSignature }));
    expect(at({ status: 'PENDING_SIGNATURE', indication: null })).toMatchObject({ failure: { code: 'RESULT_NOT_SIGNED' } });
    expect(at({ status: 'SIGNED', indication: null })).toMatchObject({ failure: { code: 'RESULT_NOT_SIGNED' } });
    expect(at({ status: 'SIGNED', indication: 'INDETERMINATE' })).toMatchObject({ failure: { code: 'RESULT_NOT_SIGNED' } });
    expect(at({ status: 'SIGNED', indication: 'TOTAL_PASSED' })).toEqual({ allowed: true, to: S.RETURNED });
    expect(at(undefined)).toEqual({ allowed: true, to: S.RETURNED }); // DENIED: nothing to sign
  });

  it('lets the leader ask for a new signature only when the last request is over without a valid one', () => {
    const retry = (resultSignature: WorkflowFacts['resultSignature']) => decide('request-signature', leader, parties, facts(S.RESOLVED, { resultSignature }));
    for (const status of ['REJECTED', 'EXPIRED', 'FAILED']) expect(retry({ status, indication: null })).toEqual({ allowed: true, to: S.RESOLVED });
    expect(retry({ status: 'SIGNED', indication: 'TOTAL_FAILED' })).toEqual({ allowed: true, to: S.RESOLVED });
    expect(retry({ status: 'PENDING_SIGNATURE', indication: null })).toMatchObject({ failure: { code: 'SIGNING_IN_PROGRESS' } });
    expect(retry({ status: 'SIGNED', indication: 'TOTAL_PASSED' })).toMatchObject({ failure: { code: 'SIGNING_IN_PROGRESS' } });
    expect(retry(undefined)).toMatchObject({ failure: { code: 'NOTHING_TO_SIGN' } });
  });

  it('blocks acceptance while a signature-required component is unsigned', () => {
    expect(decide('accept', receptionist, parties, facts(S.SUBMITTED, { unsignedRequiredComponents: ['TP01'] }))).toMatchObject({
      failure: { code: 'SIGNATURE_REQUIRED' },
    });
  });

  it('lists the caller’s actions with the reason a guard blocks one', () => {
    expect(allowedActions(receptionist, parties, facts(S.SUBMITTED, { unsignedRequiredComponents: ['TP02'] }))).toEqual([
      { action: 'accept', allowed: false, blockedBy: expect.objectContaining({ code: 'SIGNATURE_REQUIRED' }) },
      { action: 'request-supplement', allowed: true },
      { action: 'refuse', allowed: true },
    ]);
    expect(allowedActions(citizen, parties, facts(S.SUBMITTED))).toEqual([{ action: 'withdraw', allowed: true }]);
    expect(allowedActions(stranger, parties, facts(S.SUBMITTED))).toEqual([]);
  });
});
