import { sql, type Kysely } from 'kysely';

/**
 * Questions the Inclusion team asks a requester about a visit request, and the answers. Both texts
 * are free text about pupils: nullable, erased by the retention job with the request's own text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inclusion_visit_question')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('visit_id', 'text', (c) => c.notNull().references('inclusion_visit.id').onDelete('cascade'))
    .addColumn('asked_by_aad_id', 'text', (c) => c.notNull())
    .addColumn('asked_by_name', 'text', (c) => c.notNull())
    .addColumn('question', 'text')
    .addColumn('asked_at', 'timestamptz', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_by_aad_id', 'text')
    .addColumn('answered_at', 'timestamptz')
    // Answered means both who and when; an answer is written once.
    .addCheckConstraint('inclusion_visit_question_answered', sql`(answered_at is null) = (answered_by_aad_id is null)`)
    .execute();
  await db.schema.createIndex('inclusion_visit_question_visit').on('inclusion_visit_question').columns(['visit_id', 'asked_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inclusion_visit_question').ifExists().execute();
}
