/**
 * A fact → the outbox rows of every target that takes it. Each format renders a fact
 * once (its pushes and their event ids), and every target of that format that takes an
 * event gets its own row: its own copy, in its own lane and order.
 */
import type { PushFact } from '../core/records/push-facts.js';
import { seed001 } from './formats/seed001.js';
import { seed003 } from './formats/seed003.js';
import type { FormatContext, PushBody, PushFormat } from './formats/push-body.js';
import type { OutboxEntry } from './outbox.js';
import { takes, type PushFormatName, type WebhookTarget } from './target.js';

const FORMATS: Readonly<Record<PushFormatName, PushFormat>> = { seed001, seed003 };

export class PushFanOut {
  constructor(
    /** The targets of the moment (changed at run time through the admin API). */
    private readonly targets: () => readonly WebhookTarget[],
    private readonly context: FormatContext,
  ) {}

  render(fact: PushFact): OutboxEntry[] {
    const targets = this.targets();
    if (targets.length === 0) return [];
    const rendered = new Map<PushFormatName, PushBody[]>();
    const out: OutboxEntry[] = [];
    for (const target of targets) {
      let pushes = rendered.get(target.format);
      if (pushes === undefined) rendered.set(target.format, (pushes = FORMATS[target.format](fact, this.context).map((p) => ({ ...p, text: JSON.stringify(p.body) }))));
      for (const p of pushes as Array<PushBody & { text: string }>) {
        if (takes(target, p.event)) out.push({ lane: target.id, event: p.event, eventId: p.eventId, body: p.text, factAt: fact.at });
      }
    }
    return out;
  }
}
