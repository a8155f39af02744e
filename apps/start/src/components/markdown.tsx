import { mentionsAsNames } from "@tandem/contracts/mentions";
import { cn } from "@tandem/ui/lib/cn";
import type { ComponentProps } from "react";
import Markdown, { type Components } from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";

// GitHub-flavoured (task lists, tables, strikethrough, autolinks). Raw HTML is dropped
// (`skipHtml`) and the tree is sanitised with GitHub's schema as a second wall, so nothing a
// user writes can add a script, an event handler or a `javascript:` link.
const remarkPlugins = [remarkGfm];
const rehypePlugins = [rehypeSanitize];
const components: Components = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
};

const PROSE = [
  "min-w-0 text-sm leading-relaxed break-words",
  "[&>:first-child]:mt-0 [&>:last-child]:mb-0 [&_p]:my-2",
  "[&_h1]:text-lg [&_h2]:text-base [&_h3]:text-sm [&_:is(h1,h2,h3,h4,h5,h6)]:mt-3 [&_:is(h1,h2,h3,h4,h5,h6)]:mb-1 [&_:is(h1,h2,h3,h4,h5,h6)]:font-semibold",
  "[&_ul]:list-disc [&_ol]:list-decimal [&_:is(ul,ol)]:my-2 [&_:is(ul,ol)]:pl-5",
  "[&_.contains-task-list]:list-none [&_.contains-task-list]:pl-1 [&_.task-list-item_input]:mr-2 [&_.task-list-item_input]:align-middle",
  "[&_a]:text-primary [&_a]:underline [&_a]:underline-offset-2",
  "[&_code]:rounded [&_code]:bg-muted [&_code]:px-1 [&_code]:font-mono [&_code]:text-[0.85em]",
  "[&_pre]:my-2 [&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:bg-muted [&_pre]:p-3 [&_pre_code]:bg-transparent [&_pre_code]:p-0",
  "[&_table]:my-2 [&_table]:border-collapse [&_:is(th,td)]:border [&_:is(th,td)]:border-border [&_:is(th,td)]:px-2 [&_:is(th,td)]:py-1 [&_th]:text-left",
  "[&_blockquote]:border-l-2 [&_blockquote]:border-border [&_blockquote]:pl-3 [&_blockquote]:text-muted-foreground",
  "[&_hr]:my-3 [&_img]:max-w-full",
].join(" ");

/** Renders user-written markdown safely; a mention `@[Name](user:<id>)` shows as **@Name**. */
export function MarkdownView({ source, className, ...props }: { source: string } & ComponentProps<"div">) {
  return (
    <div className={cn(PROSE, className)} {...props}>
      <Markdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components} skipHtml>
        {mentionsAsNames(source)}
      </Markdown>
    </div>
  );
}
