/**
 * A task description, read-only. Plain text with its line breaks and spacing kept; one
 * component so the markdown renderer (react-markdown + rehype-sanitize) can replace it.
 */
export function DescriptionText({ text }: { text: string }) {
  if (!text.trim()) return <p className="text-sm text-muted-foreground italic">No description.</p>;
  return (
    <div data-testid="task-description" className="text-sm leading-relaxed break-words whitespace-pre-wrap">
      {text}
    </div>
  );
}
