import { EMPTY, Observable, expand, map, reduce } from 'rxjs';

/** The part of a Hydra collection page that `allPages` needs (any Mail.tm page codec's type fits). */
export interface HydraPage<A> {
  /** The page's items. */
  readonly 'hydra:member': A[];
  /** Navigation links; paging continues while `hydra:next` is present (and the page is not empty). */
  readonly 'hydra:view'?: { readonly 'hydra:next'?: string };
}

/** Follows a Hydra collection page by page (one request at a time) until a page has no `hydra:next`. */
export function allPages<A>(page: (n: number) => Observable<HydraPage<A>>): Observable<A[]> {
  return page(1).pipe(
    map((p) => ({ n: 1, p })),
    expand(({ n, p }) => (p['hydra:view']?.['hydra:next'] !== undefined && p['hydra:member'].length > 0 ? page(n + 1).pipe(map((q) => ({ n: n + 1, p: q }))) : EMPTY)),
    reduce<{ p: HydraPage<A> }, A[]>((acc, { p }) => acc.concat(p['hydra:member']), []),
  );
}
