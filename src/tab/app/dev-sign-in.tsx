import { Button, Card, Subtitle1, Text, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { ErrorState, Loading } from './shell.js';

interface SamplePerson {
  aadObjectId: string;
  displayName: string;
}

/**
 * Outside Teams there is no SSO. A local run with DEV_SIGN_IN=on offers the sample people; any other
 * server answers 404 here, and the page says to open the tab from Teams instead.
 */
export function DevSignIn({ onSignedIn }: { onSignedIn: (token: string, name: string) => void }) {
  const [people, setPeople] = useState<SamplePerson[] | 'unavailable' | undefined>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    fetch('/api/dev-sign-in/people')
      .then(async (r) => (r.ok ? setPeople(((await r.json()) as { people: SamplePerson[] }).people) : setPeople('unavailable')))
      .catch(() => setPeople('unavailable'));
  }, []);
  if (people === undefined) return <Loading label="Connecting…" />;
  if (people === 'unavailable') {
    return <ErrorState title="Open this tab from Teams" message="The Commissions tab signs you in through Microsoft Teams. Open it from the tab in your academy's channel or from the app in Teams." />;
  }
  const signIn = async (person: SamplePerson) => {
    setError(undefined);
    const response = await fetch('/api/dev-sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ aadObjectId: person.aadObjectId }) });
    if (!response.ok) return setError('That sign-in did not work; restart npm run dev and try again.');
    onSignedIn(((await response.json()) as { token: string }).token, person.displayName);
  };
  return (
    <Card style={{ maxWidth: 560 }}>
      <Subtitle1 as="h1">Local development sign-in</Subtitle1>
      <Text>This page is running outside Teams on a local server. Choose a sample person to open the tab as them.</Text>
      {error && <ErrorState title="Not signed in" message={error} />}
      <ul style={{ listStyle: 'none', padding: 0, display: 'grid', gap: tokens.spacingVerticalS }}>
        {people.map((p) => (
          <li key={p.aadObjectId}>
            <Button onClick={() => void signIn(p)}>Sign in as {p.displayName}</Button>
          </li>
        ))}
      </ul>
    </Card>
  );
}
