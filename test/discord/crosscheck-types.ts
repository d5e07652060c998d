/**
 * A field-by-field check of rxwire's Discord codecs against discord-api-types,
 * at the type level: `Mismatches<C, A>` is `never` when every field the codec
 * declares exists in the discord-api-types type with the same optionality and
 * the same JSON kind (string / number / boolean / null / array / object),
 * recursively through nested objects and array elements the codec models
 * (`unknown` and index-signature records are not descended into). Union API
 * types count a field present in some members as optional. Otherwise it is a
 * union of readable strings such as `MessageCreate.author.id: kind string vs number`.
 *
 * `npx tsc -p tsconfig.test.json` fails on any mismatch (see codecs-crosscheck.test.ts).
 */
type IsAny<T> = 0 extends 1 & T ? true : false;
type IsUnknown<T> = IsAny<T> extends true ? true : unknown extends T ? true : false;
type Eq<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The JSON kinds a type admits (distributes over unions). */
export type Kind<T> = T extends string
  ? 'string'
  : T extends number
    ? 'number'
    : T extends boolean
      ? 'boolean'
      : T extends null
        ? 'null'
        : T extends undefined
          ? never
          : T extends readonly unknown[]
            ? 'array'
            : T extends object
              ? 'object'
              : 'other';

type UKeys<A> = A extends unknown ? keyof A : never;
type UProp<A, K extends PropertyKey> = A extends unknown ? (K extends keyof A ? A[K] : undefined) : never;
type UOpt<A, K extends PropertyKey> = A extends unknown ? (K extends keyof A ? ({} extends Pick<A, K> ? true : false) : true) : never;
type Opt<C, K extends keyof C> = {} extends Pick<C, K> ? true : false;

type Obj<T> = Exclude<Extract<T, object>, readonly unknown[]>;
type Elem<T> = Extract<T, readonly unknown[]> extends readonly (infer E)[] ? E : never;
type IsIndexRecord<T> = string extends keyof T ? true : false;

type Nested<C, A, P extends string, D extends unknown[]> =
  | ([Obj<C>] extends [never] ? never : IsIndexRecord<Obj<C>> extends true ? never : IsUnknown<Obj<C>> extends true ? never : Mismatches<Obj<C>, Obj<A>, P, D>)
  | ([Elem<C>] extends [never]
      ? never
      : IsUnknown<Elem<C>> extends true
        ? never
        : Eq<Kind<Elem<C>>, Kind<Elem<A>>> extends true
          ? Nested<Elem<C>, Elem<A>, `${P}[].`, D>
          : `${P}[]: kind ${Kind<Elem<C>>} vs ${Kind<Elem<A>>}`);

/** Every disagreement between codec type `C` and discord-api-types type `A` (never when they agree). */
export type Mismatches<C, A, P extends string = '', D extends unknown[] = []> = D['length'] extends 6
  ? never
  : {
      [K in keyof C & string]: K extends UKeys<A>
        ?
            | (Eq<Opt<C, K>, true extends UOpt<A, K> ? true : false> extends true ? never : `${P}${K}: optional ${Opt<C, K>} vs ${true extends UOpt<A, K> ? true : false}`)
            | (IsUnknown<C[K]> extends true
                ? never
                : Eq<Kind<C[K]>, Kind<UProp<A, K>>> extends true
                  ? Nested<Exclude<C[K], undefined>, Exclude<UProp<A, K>, undefined>, `${P}${K}.`, [...D, 0]>
                  : `${P}${K}: kind ${Kind<C[K]>} vs ${Kind<UProp<A, K>>}`)
        : `${P}${K}: not in discord-api-types`;
    }[keyof C & string];
