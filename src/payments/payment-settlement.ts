import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What happens to a dossier once its pending fees are settled (the workflow resumes it from status 6). */
export type PaymentSettledHook = (em: EntityManager, dossierId: string) => Promise<void>;

/**
 * The hook through which a settled payment moves its dossier on without payments importing the
 * workflow above it: the dossiers application registers it at start-up, and payments call it in
 * the payment's own transaction (which holds the dossier's lock), so the status change commits
 * with the payment or not at all.
 */
@Injectable()
export class PaymentSettlement {
  private hook: PaymentSettledHook | null = null;

  /** Registers the one hook (the workflow's resume after payment); a second registration is a wiring error. */
  onSettled(hook: PaymentSettledHook): void {
    if (this.hook) throw new Error('a payment-settled hook is already registered');
    this.hook = hook;
  }

  /** Runs the hook in the caller's transaction; with none registered, refuses loudly (a payment would leave its dossier waiting). */
  async settled(em: EntityManager, dossierId: string): Promise<void> {
    if (!this.hook) throw new Error("no payment-settled hook is registered (the dossiers module registers the workflow's)");
    await this.hook(em, dossierId);
  }
}
