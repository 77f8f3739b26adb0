export function Brand({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      <svg viewBox="0 0 32 32" className="size-6" aria-hidden>
        <rect width="32" height="32" rx="8" className="fill-foreground" />
        <rect x="7" y="12" width="18" height="8" rx="4" fill="#e11d48" />
        <rect x="16" y="12" width="9" height="8" rx="4" className="fill-background" opacity=".9" />
      </svg>
      Pillbox
    </span>
  );
}
