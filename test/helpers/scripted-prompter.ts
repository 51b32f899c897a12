/**
 * A strict scripted prompter: each prompt must match the next scripted id, and a scripted answer
 * left unused fails the test (call assertDone in afterEach or at the end).
 */
import { CancelledError } from '../../src/errors.js';
import {
  PromptWithdrawnError,
  type ConfirmQuestion,
  type InputQuestion,
  type Prompter,
  type SecretQuestion,
  type SelectQuestion,
} from '../../src/io/prompter.js';

/** An answer for a question the program withdraws by itself (e.g. "waiting for Atlassian…"): never typed. */
export const untilWithdrawn = (signal?: AbortSignal): Promise<string> =>
  new Promise((_resolve, reject) => {
    if (!signal) return reject(new Error('this question cannot be withdrawn: it has no signal'));
    if (signal.aborted) return reject(new PromptWithdrawnError());
    signal.addEventListener('abort', () => reject(new PromptWithdrawnError()), { once: true });
  });

export const CANCEL = Symbol('cancel');
type Answer = string | boolean | typeof CANCEL | { value: unknown } | ((signal?: AbortSignal) => Promise<string | boolean>);
export interface Scripted {
  id: string;
  answer: Answer;
}

export class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  /** The default each text prompt offered (what Enter would take). */
  readonly offered: { id: string; default: string | undefined }[] = [];
  /** Validation messages returned for scripted answers (a rejected answer is a test failure unless expected). */
  readonly rejections: { id: string; message: string }[] = [];
  private readonly script: Scripted[];

  constructor(script: Scripted[]) {
    this.script = [...script];
  }

  private next(id: string): Answer {
    this.asked.push(id);
    const step = this.script.shift();
    if (!step) throw new Error(`Unexpected prompt "${id}": the script has no more answers.`);
    if (step.id !== id) throw new Error(`Unexpected prompt "${id}": the script expected "${step.id}".`);
    if (step.answer === CANCEL) throw new CancelledError();
    return step.answer;
  }

  private validated(id: string, value: string, validate?: (v: string) => string | true): string {
    if (validate) {
      const verdict = validate(value);
      if (verdict !== true) {
        this.rejections.push({ id, message: verdict });
        // A real prompt would ask again: take the next scripted answer for the same id.
        return this.validated(id, String(this.next(id)), validate);
      }
    }
    return value;
  }

  async input(q: InputQuestion): Promise<string> {
    this.offered.push({ id: q.id, default: q.default });
    const answer = this.next(q.id);
    if (typeof answer === 'function') return this.validated(q.id, String(await answer(q.signal)), q.validate);
    const value = answer === '' && q.default !== undefined ? q.default : String(answer);
    return this.validated(q.id, value, q.validate);
  }

  async secret(q: SecretQuestion): Promise<string> {
    return this.validated(q.id, String(this.next(q.id)), q.validate);
  }

  async confirm(q: ConfirmQuestion): Promise<boolean> {
    const scripted = this.next(q.id);
    const answer = typeof scripted === 'function' ? await (scripted as () => unknown)() : scripted;
    if (typeof answer !== 'boolean') throw new Error(`Prompt "${q.id}" is a confirm; the script gave ${String(answer)}.`);
    return answer;
  }

  async select<T>(q: SelectQuestion<T>): Promise<T> {
    const scripted = this.next(q.id);
    // A function answers as the user would after doing something (e.g. fixing the console first).
    const answer = typeof scripted === 'function' ? await (scripted as () => unknown)() : scripted;
    const wanted = typeof answer === 'object' && answer !== null && 'value' in answer ? answer.value : answer;
    const choice = q.choices.find((c) => c.value === wanted);
    if (!choice) throw new Error(`Prompt "${q.id}" has no choice ${String(wanted)} (choices: ${q.choices.map((c) => String(c.value)).join(', ')}).`);
    return choice.value;
  }

  assertDone(): void {
    if (this.script.length > 0) throw new Error(`Scripted answers left unused: ${this.script.map((s) => s.id).join(', ')}`);
  }
}
