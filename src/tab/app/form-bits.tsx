import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Spinner } from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import { ApiError } from './api-client.js';
import { ErrorState } from './shell.js';

/** Field messages from a 400 invalid_request: `body.measures.1.target` → the field `measures.1.target`. */
export function fieldErrors(error: ApiError | undefined): Record<string, string> {
  const issues = (error?.details?.issues ?? []) as Array<{ path: string; message: string }>;
  return Object.fromEntries(issues.map((i) => [i.path.replace(/^body\./, ''), i.message]));
}

/**
 * A dialog form: the person's values stay as typed when the API refuses them; the API's sentence
 * shows above the fields, and the submit button waits while the request runs.
 */
export function FormDialog(props: {
  title: string;
  submitLabel: string;
  open: boolean;
  onClose: () => void;
  onSubmit: () => Promise<void>;
  children: (error: ApiError | undefined) => ReactNode;
}) {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onSubmit();
      props.onClose();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('unexpected', 'Something went wrong. Try again.', 0));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={props.open} onOpenChange={(_e, data) => !data.open && props.onClose()} modalType="modal">
      <DialogSurface style={{ maxWidth: 720 }}>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <DialogBody>
            <DialogTitle>{props.title}</DialogTitle>
            <DialogContent style={{ display: 'grid', gap: 12 }}>
              {error && <ErrorState title="Not saved" message={error.message} />}
              {props.children(error)}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={props.onClose} disabled={busy}>
                Cancel
              </Button>
              <Button appearance="primary" type="submit" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
                {props.submitLabel}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

export const newKey = (): string => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);
