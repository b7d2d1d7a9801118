/** What a page may ask of the app around it. */
export interface PageContext {
  /** re-render this page every `ms` while it stays open */
  every(ms: number): void;
  /** render this page again now, keeping `notice` above it */
  refresh(notice?: string): void;
  /** a message left by the previous render (e.g. the result of a re-drive) */
  notice: string | null;
}

export type Page = (params: string[], page: PageContext) => Promise<Node>;
