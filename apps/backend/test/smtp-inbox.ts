import { afterAll, beforeAll } from "bun:test";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { startTestBackend, type TestBackend } from "./harness.ts";

export type SmtpInbox = {
  /** `smtp://127.0.0.1:<port>`, for the backend's SMTP_URL. */
  url: string;
  /** The mail to `to` number `index` (0-based; of those with `subject`, if given), waiting up to 10 s. */
  mailTo: (to: string, index: number, subject?: string) => Promise<ParsedMail>;
  /** Every mail received so far. */
  received: () => ParsedMail[];
  close: () => Promise<void>;
};

/** A real SMTP server on loopback (the `smtp-server` package) that parses what arrives. */
export async function startSmtpInbox(): Promise<SmtpInbox> {
  const inbox: ParsedMail[] = [];
  const arrivals = new EventTarget();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          inbox.push(mail);
          arrivals.dispatchEvent(new Event("mail"));
          callback();
        })
        .catch(callback);
    },
  });
  const port = await new Promise<number>((resolve) => {
    smtp.listen(0, "127.0.0.1", () => {
      const address = smtp.server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
  const mailTo = (to: string, index: number, subject?: string) => {
    const find = () =>
      inbox.filter(
        (mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === to && (!subject || mail.subject === subject),
      )[index];
    return new Promise<ParsedMail>((resolve, reject) => {
      const check = () => {
        const mail = find();
        if (!mail) return;
        clearTimeout(timer);
        arrivals.removeEventListener("mail", check);
        resolve(mail);
      };
      const timer = setTimeout(() => {
        arrivals.removeEventListener("mail", check);
        reject(new Error(`no mail to ${to}`));
      }, 10_000);
      arrivals.addEventListener("mail", check);
      check();
    });
  };
  return {
    url: `smtp://127.0.0.1:${port}`,
    mailTo,
    received: () => [...inbox],
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/** The first link in a mail's text part that contains `marker`. */
export function linkIn(mail: ParsedMail, marker: string): string {
  const link = mail.text?.split(/\s+/).find((word) => /^https?:\/\//.test(word) && word.includes(marker));
  if (!link) throw new Error(`no ${marker} link in "${mail.subject}"`);
  return link;
}

/**
 * For a test file: a backend whose mail goes to a real SMTP inbox on loopback, started before
 * the file's tests and stopped after them. Read `backend` and `inbox` inside tests.
 */
export function mailingBackend(): { readonly backend: TestBackend; readonly inbox: SmtpInbox } {
  const parts: { backend?: TestBackend; inbox?: SmtpInbox } = {};
  beforeAll(async () => {
    parts.inbox = await startSmtpInbox();
    parts.backend = await startTestBackend({ smtpUrl: parts.inbox.url });
  });
  afterAll(async () => {
    await parts.backend?.stop();
    await parts.inbox?.close();
  });
  const started = <T>(part: T | undefined): T => {
    if (!part) throw new Error("mailingBackend: read it inside a test");
    return part;
  };
  return {
    get backend() {
      return started(parts.backend);
    },
    get inbox() {
      return started(parts.inbox);
    },
  };
}
