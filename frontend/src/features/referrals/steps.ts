// One mutation per step of a referral (submitReferral, acceptReferral …) and what each asks for.
// Which steps the reader may take is the server's answer (`Referral.availableActions`): this file
// only knows how to run a step once offered, never which steps a status allows.
import type { Client, CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { ReferralAction } from '../../gql/graphql';
import type { FieldError } from '../../api/errors';

/** What the step's form asks for. */
export type StepForm = 'confirm' | 'reason' | 'optionalReason' | 'appointment' | 'optionalAppointment' | 'returnForm';

export interface StepValues {
  reason?: string;
  appointmentDate?: string;
  resultDiagnosis?: string;
  inpatientNo?: string;
  mainFindings?: string;
  treatmentSummary?: string;
  nextPlan?: string;
}

export interface StepOutcome {
  error?: CombinedError;
  errors: FieldError[];
}

interface Step {
  form: StepForm;
  tone?: 'primary' | 'danger';
  run: (client: Client, id: string, values: StepValues) => Promise<StepOutcome>;
}


const SubmitReferral = graphql(`
  mutation SubmitReferral($input: SubmitReferralInput!) {
    submitReferral(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);
const ApproveReferralReview = graphql(`
  mutation ApproveReferralReview($input: ApproveReferralReviewInput!) {
    approveReferralReview(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);
const ReturnReferralReview = graphql(`
  mutation ReturnReferralReview($input: ReturnReferralReviewInput!) {
    returnReferralReview(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);
const WithdrawReferral = graphql(`
  mutation WithdrawReferral($input: WithdrawReferralInput!) {
    withdrawReferral(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);
const ResubmitReferral = graphql(`
  mutation ResubmitReferral($input: ResubmitReferralInput!) {
    resubmitReferral(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);
const CancelReferral = graphql(`
  mutation CancelReferral($input: CancelReferralInput!) {
    cancelReferral(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);
const MarkReferralReceived = graphql(`
  mutation MarkReferralReceived($input: MarkReferralReceivedInput!) {
    markReferralReceived(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);
const AcceptReferral = graphql(`
  mutation AcceptReferral($input: AcceptReferralInput!) {
    acceptReferral(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);
const RejectReferral = graphql(`
  mutation RejectReferral($input: RejectReferralInput!) {
    rejectReferral(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);
const ReturnReferralForInfo = graphql(`
  mutation ReturnReferralForInfo($input: ReturnReferralForInfoInput!) {
    returnReferralForInfo(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);
const BookReferral = graphql(`
  mutation BookReferral($input: BookReferralInput!) {
    bookReferral(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);
const MarkReferralArrived = graphql(`
  mutation MarkReferralArrived($input: MarkReferralArrivedInput!) {
    markReferralArrived(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);
const CompleteReferral = graphql(`
  mutation CompleteReferral($input: CompleteReferralInput!) {
    completeReferral(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);
const CloseReferral = graphql(`
  mutation CloseReferral($input: CloseReferralInput!) {
    closeReferral(input: $input) { referral { ...ReferralFields } errors { field code message } }
  }
`);

/** A step's answer, as the form shows it. */
function outcome(error: CombinedError | undefined, payload: { errors: FieldError[] } | null | undefined): StepOutcome {
  return { error, errors: payload?.errors ?? [] };
}

const reason = (v: StepValues) => v.reason ?? '';

export const STEPS: Record<ReferralAction, Step> = {
  SUBMIT: { form: 'confirm', tone: 'primary', run: (c, id) => c.mutation(SubmitReferral, { input: { id } }).toPromise().then((r) => outcome(r.error, r.data?.submitReferral)) },
  APPROVE: { form: 'confirm', tone: 'primary', run: (c, id) => c.mutation(ApproveReferralReview, { input: { id } }).toPromise().then((r) => outcome(r.error, r.data?.approveReferralReview)) },
  RETURN_TO_DRAFT: { form: 'reason', run: (c, id, v) => c.mutation(ReturnReferralReview, { input: { id, reason: reason(v) } }).toPromise().then((r) => outcome(r.error, r.data?.returnReferralReview)) },
  WITHDRAW: { form: 'optionalReason', run: (c, id, v) => c.mutation(WithdrawReferral, { input: { id, reason: v.reason } }).toPromise().then((r) => outcome(r.error, r.data?.withdrawReferral)) },
  RESUBMIT: { form: 'confirm', tone: 'primary', run: (c, id) => c.mutation(ResubmitReferral, { input: { id } }).toPromise().then((r) => outcome(r.error, r.data?.resubmitReferral)) },
  CANCEL: { form: 'reason', tone: 'danger', run: (c, id, v) => c.mutation(CancelReferral, { input: { id, reason: reason(v) } }).toPromise().then((r) => outcome(r.error, r.data?.cancelReferral)) },
  RECEIVE: { form: 'confirm', run: (c, id) => c.mutation(MarkReferralReceived, { input: { id } }).toPromise().then((r) => outcome(r.error, r.data?.markReferralReceived)) },
  ACCEPT: { form: 'optionalAppointment', tone: 'primary', run: (c, id, v) => c.mutation(AcceptReferral, { input: { id, appointmentDate: v.appointmentDate } }).toPromise().then((r) => outcome(r.error, r.data?.acceptReferral)) },
  REJECT: { form: 'reason', tone: 'danger', run: (c, id, v) => c.mutation(RejectReferral, { input: { id, reason: reason(v) } }).toPromise().then((r) => outcome(r.error, r.data?.rejectReferral)) },
  HOLD: { form: 'reason', run: (c, id, v) => c.mutation(ReturnReferralForInfo, { input: { id, reason: reason(v) } }).toPromise().then((r) => outcome(r.error, r.data?.returnReferralForInfo)) },
  BOOK: { form: 'appointment', tone: 'primary', run: (c, id, v) => c.mutation(BookReferral, { input: { id, appointmentDate: v.appointmentDate ?? '' } }).toPromise().then((r) => outcome(r.error, r.data?.bookReferral)) },
  ARRIVE: { form: 'confirm', tone: 'primary', run: (c, id) => c.mutation(MarkReferralArrived, { input: { id } }).toPromise().then((r) => outcome(r.error, r.data?.markReferralArrived)) },
  COMPLETE: {
    form: 'returnForm',
    tone: 'primary',
    run: (c, id, v) =>
      c
        .mutation(CompleteReferral, {
          input: { id, resultDiagnosis: v.resultDiagnosis ?? '', inpatientNo: v.inpatientNo, mainFindings: v.mainFindings, treatmentSummary: v.treatmentSummary, nextPlan: v.nextPlan ?? '' },
        })
        .toPromise()
        .then((r) => outcome(r.error, r.data?.completeReferral)),
  },
  CLOSE: { form: 'reason', tone: 'danger', run: (c, id, v) => c.mutation(CloseReferral, { input: { id, reason: reason(v) } }).toPromise().then((r) => outcome(r.error, r.data?.closeReferral)) },
};
