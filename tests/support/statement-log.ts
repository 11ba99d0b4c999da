import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/**
 * A Kysely plugin that notes every statement sent through the handle it is on (`db.withPlugin(log)`):
 * its node kind ('SelectQueryNode', 'InsertQueryNode', 'RawNode' for sql`…`) and, for sql`…`, its text.
 */
export class StatementLog implements KyselyPlugin {
  readonly kinds: string[] = [];
  /** The text of each sql`…` statement (parameters as $n); other statements are not listed. */
  readonly texts: string[] = [];

  get count(): number {
    return this.kinds.length;
  }

  clear(): void {
    this.kinds.length = 0;
    this.texts.length = 0;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.kinds.push(args.node.kind);
    if (args.node.kind === 'RawNode') this.texts.push(args.node.sqlFragments.join('$').replace(/\s+/g, ' ').trim());
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
