// A background install / upgrade / uninstall job as it runs: the steps arrive live on
// `jobProgress`, and the job's status row (`installJob`) says how it ended. The row is re-read
// when the last step arrives and, as a safety net for events sent before the page subscribed
// (a fast worker) or while the socket was down, every few seconds until the job has finished.
import { useEffect, useRef } from 'react';
import { Alert, Button, Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery, useSubscription } from 'urql';
import { graphql } from '../../gql';
import type { JobStatus } from '../../gql/graphql';

const JobProgressSubscription = graphql(`
  subscription JobProgress($taskId: String!) {
    jobProgress(taskId: $taskId) {
      taskId
      done
      total
      message
    }
  }
`);

const InstallJobQuery = graphql(`
  query InstallJob($id: ID!) {
    installJob(id: $id) {
      id
      action
      status
      done
      total
      message
      error
      errorCode
    }
  }
`);

const SAFETY_POLL_MS = 3000;

interface Props {
  jobId: string;
  onFinished: (status: JobStatus) => void;
  /** A failed job stays on screen until the person has read it and dismisses it here. */
  onDismiss?: () => void;
}

export function JobProgress({ jobId, onFinished, onDismiss }: Props) {
  const { t } = useTranslation();
  const [live] = useSubscription({ query: JobProgressSubscription, variables: { taskId: jobId } });
  const [row, reexecute] = useQuery({ query: InstallJobQuery, variables: { id: jobId }, requestPolicy: 'network-only' });
  const job = row.data?.installJob;
  const finished = job?.status === 'SUCCEEDED' || job?.status === 'FAILED';
  const step = live.data?.jobProgress;

  // The last step arrived: read how the job ended.
  useEffect(() => {
    if (step && step.total != null && step.done >= step.total) reexecute({ requestPolicy: 'network-only' });
  }, [step, reexecute]);

  useEffect(() => {
    if (finished) return;
    const timer = window.setInterval(() => reexecute({ requestPolicy: 'network-only' }), SAFETY_POLL_MS);
    return () => window.clearInterval(timer);
  }, [finished, reexecute]);

  const reported = useRef(false);
  useEffect(() => {
    if (finished && !reported.current) {
      reported.current = true;
      onFinished(job.status);
    }
  }, [finished, job, onFinished]);

  if (job?.status === 'FAILED') {
    return (
      <Alert
        type="error"
        showIcon
        data-testid="job-failed"
        title={t('market.jobFailed')}
        description={job.error || job.errorCode}
        action={
          onDismiss && (
            <Button size="small" onClick={onDismiss} data-testid="job-dismiss">
              {t('market.jobFailedDismiss')}
            </Button>
          )
        }
      />
    );
  }
  const done = finished ? job.total || 1 : (step?.done ?? job?.done ?? 0);
  const total = finished ? job.total || 1 : (step?.total ?? job?.total ?? 0);
  const percent = total ? Math.round((done / total) * 100) : 0;
  const text = finished ? job.message || t('market.jobDone') : step?.message || job?.message || t('market.jobQueued');
  return (
    <div data-testid="job-progress" data-status={job?.status ?? 'PENDING'} data-live={step ? 'yes' : 'no'}>
      <Progress percent={percent} size="small" status={finished ? 'success' : 'active'} />
      <Typography.Text type="secondary" data-testid="job-message">
        {text}
      </Typography.Text>
    </div>
  );
}
