import type { Application } from 'typedoc';
/** Source entry file (relative to the repository root) → public subpath. */
export declare const SUBPATHS: Readonly<Record<string, string>>;
/** The TypeDoc plugin entry: renames entry modules to their subpaths. */
export declare function load(app: Application): void;
