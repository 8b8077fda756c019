/** A sidebar entry: its name (ellipsized, the whole name as a tooltip) and, when there is one, its count. */
export function SidebarItem({
  title,
  tooltip = title,
  unread,
  countText = 'unread',
  active,
  onSelect,
  bare = false,
}: {
  title: string;
  tooltip?: string;
  unread: number;
  /** What the count is, for screen readers. */
  countText?: string;
  active: boolean;
  onSelect: () => void;
  /** Without its own list item (inside a label tree's row). */
  bare?: boolean;
}) {
  const button = (
    <button
      type="button"
      className={`sidebar-item${active ? ' active' : ''}`}
      aria-current={active ? 'page' : undefined}
      onClick={onSelect}
      title={tooltip}
    >
      <span className="sidebar-name">{title}</span>
      {unread > 0 && (
        <span className="unread-count">
          {unread}
          <span className="sr-only"> {countText}</span>
        </span>
      )}
    </button>
  );
  return bare ? button : <li>{button}</li>;
}
