// Each of the server's `availableActions` with its own mutation and the form it needs. Which
// actions a status allows is decided by the server alone (no state machine here).
import type { Client } from 'urql';
import type { ApprovalAvailableAction } from '../../gql/graphql';
import type { FieldError } from '../../api/errors';
import {
  AddSignersMutation,
  ApproveMutation,
  CommentMutation,
  ForwardMutation,
  RejectMutation,
  ResubmitMutation,
  ReturnMutation,
  UrgeMutation,
  WithdrawMutation,
} from './operations';

export interface ActionValues {
  comment?: string;
  node?: string;
  toUser?: string;
  users?: string[];
  position?: 'BEFORE' | 'AFTER';
}

/** What the action asks for before it runs: nothing (one tap), or a small form. */
export type ActionForm = 'none' | 'optionalComment' | 'comment' | 'return' | 'forward' | 'addSign';

interface Step {
  form: ActionForm;
  tone: 'primary' | 'danger' | 'default';
  run: (client: Client, ids: { instance: string; task?: string }, v: ActionValues) => Promise<{ error?: import('urql').CombinedError; errors: FieldError[] }>;
}

async function go<T>(p: Promise<{ data?: T; error?: import('urql').CombinedError }>, pick: (d: T) => { errors: FieldError[] } | null | undefined) {
  const r = await p;
  return { error: r.error, errors: (r.data && pick(r.data)?.errors) || [] };
}

const task = (ids: { task?: string }) => ids.task ?? '';

export const ACTIONS: Record<ApprovalAvailableAction, Step> = {
  APPROVE: {
    form: 'none',
    tone: 'primary',
    run: (c, ids, v) => go(c.mutation(ApproveMutation, { input: { task: task(ids), comment: v.comment || undefined } }).toPromise(), (d) => d.approveApprovalTask),
  },
  REJECT: {
    form: 'comment',
    tone: 'danger',
    run: (c, ids, v) => go(c.mutation(RejectMutation, { input: { task: task(ids), comment: v.comment } }).toPromise(), (d) => d.rejectApprovalTask),
  },
  RETURN: {
    form: 'return',
    tone: 'default',
    run: (c, ids, v) => go(c.mutation(ReturnMutation, { input: { task: task(ids), node: v.node ?? '', comment: v.comment ?? '' } }).toPromise(), (d) => d.returnApprovalTask),
  },
  FORWARD: {
    form: 'forward',
    tone: 'default',
    run: (c, ids, v) => go(c.mutation(ForwardMutation, { input: { task: task(ids), toUser: v.toUser ?? '', comment: v.comment } }).toPromise(), (d) => d.forwardApprovalTask),
  },
  ADD_SIGN: {
    form: 'addSign',
    tone: 'default',
    run: (c, ids, v) =>
      go(c.mutation(AddSignersMutation, { input: { task: task(ids), users: v.users ?? [], position: v.position ?? 'AFTER', comment: v.comment } }).toPromise(), (d) => d.addApprovalSigners),
  },
  WITHDRAW: {
    form: 'optionalComment',
    tone: 'danger',
    run: (c, ids, v) => go(c.mutation(WithdrawMutation, { input: { instance: ids.instance, reason: v.comment } }).toPromise(), (d) => d.withdrawApproval),
  },
  RESUBMIT: {
    form: 'none',
    tone: 'primary',
    run: (c, ids) => go(c.mutation(ResubmitMutation, { input: { instance: ids.instance } }).toPromise(), (d) => d.resubmitApproval),
  },
  COMMENT: {
    form: 'comment',
    tone: 'default',
    run: (c, ids, v) => go(c.mutation(CommentMutation, { input: { instance: ids.instance, text: v.comment ?? '' } }).toPromise(), (d) => d.commentOnApproval),
  },
  URGE: {
    form: 'none',
    tone: 'default',
    run: (c, ids) => go(c.mutation(UrgeMutation, { input: { instance: ids.instance } }).toPromise(), (d) => d.urgeApproval),
  },
};

export const STATUS_COLOR: Record<string, string> = {
  RUNNING: 'processing',
  APPROVED: 'success',
  REJECTED: 'error',
  WITHDRAWN: 'default',
  RETURNED: 'warning',
};
