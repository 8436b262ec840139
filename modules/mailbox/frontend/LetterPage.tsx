// One letter by id (the to-do and notification links): the handler answers it; its named writer
// follows up or rates the answer. An anonymous letter names nobody here — nothing is stored.
import { useState } from 'react';
import { App, Button, Flex, Input, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useAccess } from '@workbench/app/access';
import { QueryState } from '@workbench/components/QueryState';
import { LetterView } from './LetterView';
import { MailboxLetterQuery, ReplyToMailboxLetterMutation } from './operations';
import { letterId, problemOf } from './run';
import { WriterActions } from './WriterActions';

function ReplyBox({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [state, reply] = useMutation(ReplyToMailboxLetterMutation);
  async function send() {
    const r = await reply({ input: { id, body: text } });
    const problem = problemOf(r, r.data?.replyToMailboxLetter);
    if (problem) return void message.error(problem);
    setText('');
    message.success(t('mailbox.replied'));
    onDone();
  }
  return (
    <Flex vertical gap={8} style={{ marginTop: 12 }}>
      <Input.TextArea rows={4} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('mailbox.replyHint')} data-testid="mailbox-reply-text" />
      <Button type="primary" disabled={!text.trim()} loading={state.fetching} onClick={send} style={{ alignSelf: 'flex-start' }} data-testid="mailbox-reply-send">
        {t('mailbox.reply')}
      </Button>
    </Flex>
  );
}

export default function LetterPage() {
  const { t } = useTranslation();
  const id = letterId(useParams().id);
  const handler = useAccess().permissionsWithin.has('mailbox.handle');
  const [result, reexecute] = useQuery({ query: MailboxLetterQuery, variables: { id } });
  const letter = result.data?.mailboxLetter;
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} onRetry={refresh}>
      {letter ? (
        <LetterView letter={letter}>
          {handler && letter.status !== 'CLOSED' && <ReplyBox id={letter.id} onDone={refresh} />}
          {!handler && <WriterActions letter={letter} by={{ id: letter.id }} onDone={refresh} />}
        </LetterView>
      ) : (
        <Result status="404" subTitle={t('mailbox.notFound')} />
      )}
    </QueryState>
  );
}
