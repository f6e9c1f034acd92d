// Short machine words (scopes, grant types) that wrap between, never inside.
export function Tags({ items }: { items: readonly string[] }) {
  return (
    <span className="tags">
      {items.map((item) => (
        <code key={item}>{item}</code>
      ))}
    </span>
  );
}
