/**
 * A narrow prompter interface. The real one wraps the four @inquirer prompts it uses (each loaded lazily, drawn on
 * stderr so stdout stays data-only); tests use the strict scripted fake in test/helpers.
 * Ctrl-C at any prompt becomes one CancelledError, here and nowhere else.
 */
import { typed } from './typed.js';
import { CancelledError, UsageError } from '../errors.js';
import type { Streams } from './terminal.js';

export type Validate = (value: string) => string | true;

export interface InputQuestion {
  /** A stable id, so scripted tests can say which question they answer. */
  id: string;
  message: string;
  default?: string | undefined;
  validate?: Validate | undefined;
  /** Aborting it withdraws the question (the promise rejects with PromptWithdrawnError). */
  signal?: AbortSignal | undefined;
}

/** The question was withdrawn by its own signal (not by the user). */
export class PromptWithdrawnError extends Error {
  constructor() {
    super('prompt withdrawn');
    this.name = 'PromptWithdrawnError';
  }
}

export interface SecretQuestion {
  id: string;
  message: string;
  validate?: Validate | undefined;
}

export interface ConfirmQuestion {
  id: string;
  message: string;
  default?: boolean | undefined;
}

export interface Choice<T> {
  name: string;
  value: T;
  description?: string | undefined;
}

export interface SelectQuestion<T> {
  id: string;
  message: string;
  choices: Choice<T>[];
  default?: T | undefined;
}

export interface Prompter {
  input(question: InputQuestion): Promise<string>;
  secret(question: SecretQuestion): Promise<string>;
  confirm(question: ConfirmQuestion): Promise<boolean>;
  select<T>(question: SelectQuestion<T>): Promise<T>;
}

/** Used whenever the session is not interactive: any prompt is a bug or a missing flag. */
export class NoPrompter implements Prompter {
  private fail(id: string): never {
    throw new UsageError(
      `A value is missing and this session is not interactive (${id}).`,
      `Pass it as a flag or environment variable; see \`${typed('help setup')}\`.`,
    );
  }
  input(q: InputQuestion): Promise<string> {
    return this.fail(q.id);
  }
  secret(q: SecretQuestion): Promise<string> {
    return this.fail(q.id);
  }
  confirm(q: ConfirmQuestion): Promise<boolean> {
    return this.fail(q.id);
  }
  select<T>(q: SelectQuestion<T>): Promise<T> {
    return this.fail(q.id);
  }
}

function isCancel(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

export class InquirerPrompter implements Prompter {
  constructor(
    private readonly streams: Streams,
    private readonly signal?: AbortSignal,
  ) {}

  private get context() {
    return {
      input: this.streams.stdin as NodeJS.ReadableStream,
      output: this.streams.stderr as NodeJS.WritableStream,
      clearPromptOnDone: false,
      ...(this.signal ? { signal: this.signal } : {}),
    };
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isCancel(error)) throw new CancelledError();
      throw error;
    }
  }

  async input(q: InputQuestion): Promise<string> {
    const { default: input } = await import('@inquirer/input');
    const context = this.context;
    const signal = q.signal ? (context.signal ? AbortSignal.any([context.signal, q.signal]) : q.signal) : context.signal;
    try {
      return await this.guard(() =>
        input(
          {
            message: q.message,
            ...(q.default !== undefined ? { default: q.default } : {}),
            ...(q.validate ? { validate: q.validate } : {}),
          },
          { ...context, ...(signal ? { signal } : {}) },
        ),
      );
    } catch (error) {
      if (q.signal?.aborted && !this.signal?.aborted) throw new PromptWithdrawnError();
      throw error;
    }
  }

  async secret(q: SecretQuestion): Promise<string> {
    const { default: password } = await import('@inquirer/password');
    return this.guard(() => password({ message: q.message, mask: '•', ...(q.validate ? { validate: q.validate } : {}) }, this.context));
  }

  async confirm(q: ConfirmQuestion): Promise<boolean> {
    const { default: confirm } = await import('@inquirer/confirm');
    return this.guard(() => confirm({ message: q.message, default: q.default ?? true }, this.context));
  }

  async select<T>(q: SelectQuestion<T>): Promise<T> {
    const { default: select } = await import('@inquirer/select');
    return this.guard(() =>
      select<T>(
        {
          message: q.message,
          choices: q.choices.map((c) => ({ name: c.name, value: c.value, ...(c.description ? { description: c.description } : {}) })),
          ...(q.default !== undefined ? { default: q.default } : {}),
        },
        this.context,
      ),
    );
  }
}
