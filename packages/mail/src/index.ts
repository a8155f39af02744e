import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@tandem/util/server";
import nodemailer from "nodemailer";

export { escapeHtml, markdownToHtml } from "./markdown.ts";
export { type MailedNotification, notificationMail } from "./notification-mail.ts";

export type Mail = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers (`List-Unsubscribe`, `List-Unsubscribe-Post`). */
  headers?: Record<string, string>;
  /** The one link the mail is about; logged when the mail only goes to the outbox. */
  link?: string;
};

export type MailerConfig = {
  /** smtp://user:pass@host:port or smtps://…; unset: messages go to `outboxDir` as .eml files. */
  smtpUrl?: string | undefined;
  from: string;
  outboxDir: string;
  logger: Logger;
};

export type Mailer = { send(mail: Mail): Promise<void> };

/**
 * Sends through SMTP when `smtpUrl` is set; otherwise renders the message with nodemailer's
 * stream transport, writes it to `outboxDir/<time>-<id>.eml` and logs its subject and link,
 * so development needs no mail server and the link is one copy away.
 */
export function createMailer(config: MailerConfig): Mailer {
  const log = config.logger.child({ component: "mail" });
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport(config.smtpUrl);
    return {
      send: async ({ link: _link, ...mail }) => {
        await transport.sendMail({ from: config.from, ...mail });
        log.info("mail sent", { to: mail.to, subject: mail.subject });
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    send: async ({ link, ...mail }) => {
      const info = await transport.sendMail({ from: config.from, ...mail });
      await mkdir(config.outboxDir, { recursive: true });
      const id = info.messageId.replace(/[^a-zA-Z0-9.-]/g, "");
      const file = join(config.outboxDir, `${Date.now()}-${id}.eml`);
      await writeFile(file, info.message as Buffer);
      log.info("mail written to the outbox (SMTP_URL is unset)", { to: mail.to, subject: mail.subject, link, file });
    },
  };
}
