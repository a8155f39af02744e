import type { Mail } from "./index.ts";
import { escapeHtml, markdownToHtml } from "./markdown.ts";

/** One notification as a mail shows it. */
export type MailedNotification = { summary: string; excerpt: string; link: string; count: number };

const more = (count: number) => (count > 1 ? ` (+${count - 1} more changes)` : "");

/**
 * A notification e-mail, or a digest of several: a text part and a sanitised HTML part
 * rendered from the markdown, with RFC 8058 one-click unsubscribe headers.
 */
export function notificationMail({
  to,
  items,
  unsubscribeUrl,
  preferencesUrl,
}: {
  to: string;
  items: MailedNotification[];
  unsubscribeUrl: string;
  preferencesUrl: string;
}): Mail {
  const first = items[0];
  if (!first) throw new Error("a notification mail needs at least one notification");
  const subject = items.length === 1 ? first.summary : `${items.length} new notifications in Tandem`;
  const text = [
    ...items.flatMap((item) => [
      `${item.summary}${more(item.count)}`,
      ...(item.excerpt ? ["", item.excerpt] : []),
      "",
      `Open: ${item.link}`,
      "",
    ]),
    "--",
    `Choose which e-mails you get: ${preferencesUrl}`,
    `Unsubscribe: ${unsubscribeUrl}`,
  ].join("\n");
  const html = [
    ...items.map(
      (item) =>
        `<div><p><strong>${escapeHtml(item.summary)}</strong>${escapeHtml(more(item.count))}</p>${item.excerpt ? markdownToHtml(item.excerpt) : ""}<p><a href="${escapeHtml(item.link)}">Open in Tandem</a></p></div><hr/>`,
    ),
    `<p><a href="${escapeHtml(preferencesUrl)}">Notification settings</a> · <a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a></p>`,
  ].join("\n");
  return {
    to,
    subject,
    text,
    html,
    link: first.link,
    headers: { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}
