import { Button, Dropdown, Field, Link, Option, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, type Api } from './api-client.js';
import { StatusChart, TypeChart, UptakeChart } from './charts.js';
import { CommissionDetail } from './detail.js';
import { RaiseForm } from './raise-form.js';
import { ErrorState, Loading } from './shell.js';
import { StatusBadge } from './status-badge.js';
import type { Detail, ListAnswer, Me, Options, Uptake } from './types.js';

const ALL = 'all';
const PAGE = 50;

/**
 * The commission tab: in a channel, one academy's commissions (the academy chosen when the tab was
 * added); as a personal tab, every academy the person may see, with a filter. List, charts and one
 * commission's detail swap in place: the page never reloads.
 */
export function CommissionTab({ api, academyId, openCommissionId }: { api: Api; academyId: string | undefined; openCommissionId: string | undefined }) {
  const [me, setMe] = useState<Me>();
  const [options, setOptions] = useState<Options>();
  const [filter, setFilter] = useState(academyId ?? ALL);
  const [list, setList] = useState<ListAnswer>();
  const [uptake, setUptake] = useState<Uptake>();
  const [detail, setDetail] = useState<Detail>();
  const [error, setError] = useState<ApiError>();
  const [raising, setRaising] = useState(false);
  const [announce, setAnnounce] = useState('');
  // A trust-wide list runs to hundreds: the newest PAGE first, the rest on request, so the first render stays quick.
  const [shown, setShown] = useState(PAGE);

  const fail = (e: unknown) => setError(e instanceof ApiError ? e : new ApiError('unexpected', 'Something went wrong.', 0));
  const load = useCallback(async () => {
    setError(undefined);
    try {
      const [who, opts] = await Promise.all([api<Me>('GET', 'me'), api<Options>('GET', 'commissions/options')]);
      setMe(who);
      setOptions(opts);
      const academy = filter === ALL ? undefined : filter;
      const [answer, cpd] = await Promise.all([
        api<ListAnswer>('GET', `commissions${academy ? `?academyId=${encodeURIComponent(academy)}` : ''}`),
        academy ? api<Uptake>('GET', `commissions/cpd-uptake?academyId=${encodeURIComponent(academy)}`) : Promise.resolve(undefined),
      ]);
      setList(answer);
      setUptake(cpd);
    } catch (e) {
      fail(e);
    }
  }, [api, filter]);

  useEffect(() => {
    void load();
  }, [load]);

  const open = useCallback(
    async (id: string) => {
      try {
        setDetail(await api<Detail>('GET', `commissions/${encodeURIComponent(id)}`));
      } catch (e) {
        fail(e);
      }
    },
    [api],
  );
  useEffect(() => {
    if (openCommissionId) void open(openCommissionId);
  }, [open, openCommissionId]);

  if (error && !list) return <ErrorState title="The commissions could not be loaded" message={error.message} onRetry={() => void load()} />;
  if (!options || !list || !me) return <Loading label="Loading commissions…" />;
  const academyName = (id: string) => options.academies.find((a) => a.id === id)?.name ?? id;
  const typeLabel = (id: string) => options.supportTypes.find((t) => t.id === id)?.label ?? id;
  const canRaise = options.academies.some((a) => a.canRaise);
  const changed = (d: Detail, message: string) => {
    setDetail(d);
    setAnnounce(message);
    void load();
  };

  if (options.academies.length === 0) {
    return (
      <section>
        <Title2 as="h1">Bespoke support commissions</Title2>
        <p>Commissions are followed by academy leaders and the Director of Education. Ask your principal about the support your academy has.</p>
      </section>
    );
  }

  return (
    <div style={{ display: 'grid', gap: tokens.spacingVerticalL }}>
      <div role="status" aria-live="polite" className="visually-hidden" style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>
        {announce}
      </div>
      <header style={{ display: 'flex', gap: 16, alignItems: 'end', flexWrap: 'wrap', justifyContent: 'space-between' }}>
        <div>
          <Title2 as="h1">Bespoke support commissions</Title2>
          <Text block>{academyId ? academyName(academyId) : `Signed in as ${me.displayName}`}</Text>
        </div>
        <div style={{ display: 'flex', gap: 12, alignItems: 'end' }}>
          {!academyId && options.academies.length > 1 && (
            <Field label="Academy">
              <Dropdown value={filter === ALL ? 'All academies' : academyName(filter)} selectedOptions={[filter]} onOptionSelect={(_e, d) => { setDetail(undefined); setFilter(d.optionValue ?? ALL); }}>
                <Option value={ALL}>All academies</Option>
                {options.academies.map((a) => (
                  <Option key={a.id} value={a.id}>
                    {a.name}
                  </Option>
                ))}
              </Dropdown>
            </Field>
          )}
          {canRaise && (
            <Button appearance="primary" onClick={() => setRaising(true)}>
              Raise a commission
            </Button>
          )}
        </div>
      </header>
      {error && <ErrorState title="That did not work" message={error.message} />}
      {detail ? (
        <CommissionDetail api={api} options={options} detail={detail} academyName={academyName(detail.commission.academyId)} onBack={() => setDetail(undefined)} onChanged={(d) => changed(d, `${d.commission.reference} saved.`)} />
      ) : (
        <>
          <section aria-label="At a glance" style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
            <StatusChart counts={list.counts} options={options} />
            <TypeChart counts={list.counts} options={options} />
            {uptake && <UptakeChart uptake={uptake} academyName={academyName(uptake.academyId)} />}
          </section>
          <section aria-labelledby="list-heading">
            <h2 id="list-heading">Commissions</h2>
            {list.commissions.length === 0 ? (
              <Text>No commissions yet. {canRaise ? 'Raise one when self-evaluation or the academy visit identifies a need.' : ''}</Text>
            ) : (
              <Table aria-label="Commissions">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Reference</TableHeaderCell>
                    {!academyId && <TableHeaderCell>Academy</TableHeaderCell>}
                    <TableHeaderCell>Support</TableHeaderCell>
                    <TableHeaderCell>Status</TableHeaderCell>
                    <TableHeaderCell>Need</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {list.commissions.slice(0, shown).map((c) => (
                    <TableRow key={c.id}>
                      <TableCell>
                        <Link as="button" onClick={() => void open(c.id)}>
                          {c.reference}
                        </Link>
                      </TableCell>
                      {!academyId && <TableCell>{academyName(c.academyId)}</TableCell>}
                      <TableCell>{typeLabel(c.supportTypeId)}{c.externalSchoolName ? ` (${c.externalSchoolName})` : ''}</TableCell>
                      <TableCell>
                        <StatusBadge status={c.status} options={options} />
                      </TableCell>
                      <TableCell>{c.need}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
            {list.commissions.length > shown && (
              <Button appearance="secondary" onClick={() => setShown(list.commissions.length)} style={{ marginTop: 8 }}>
                Show all {list.commissions.length} commissions
              </Button>
            )}
          </section>
        </>
      )}
      {/* Kept mounted and closed with `open`, so the dialog hands the page back to screen readers and focus as it closes. */}
      <RaiseForm api={api} options={options} academyId={academyId ?? (filter === ALL ? undefined : filter)} open={raising} onClose={() => setRaising(false)} onRaised={(d) => changed(d, `${d.commission.reference} raised.`)} />
    </div>
  );
}
