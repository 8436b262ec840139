// The approval documents shared by the to-do centre, the detail, the start form and the designer.
import { graphql } from '../../gql';

graphql(`
  fragment ApprovalDetailFields on ApprovalInstance {
    id
    number
    title
    summary
    status
    urgent
    version
    createdAt
    finishedAt
    formSchema
    uiSchema
    formData
    fieldRights
    submitterName
    departmentName
    availableActions
    myTask {
      id
    }
    returnTargets {
      nodeId
      name
    }
    nodes {
      nodeId
      name
      kind
      mode
      round
      status
      enteredAt
      finishedAt
      dueAt
      tasks {
        id
        assigneeName
        status
        comment
        decidedAt
        added
        automatic
      }
    }
    timeline {
      id
      kind
      actorName
      comment
      at
      extra
    }
  }
`);

graphql(`
  fragment ApprovalMutationError on MutationError {
    field
    code
    message
  }
`);

export const ApprovalInstanceQuery = graphql(`
  query ApprovalInstance($id: ID!) {
    approvalInstance(id: $id) {
      ...ApprovalDetailFields
    }
  }
`);

export const ApprovalChangedSubscription = graphql(`
  subscription ApprovalChanged {
    approvalChanged {
      id
      status
      action
    }
  }
`);

export const ApprovalTemplatesQuery = graphql(`
  query ApprovalTemplates($startable: Boolean) {
    approvalTemplates(startable: $startable) {
      id
      key
      name
      category
      icon
      description
      kind
      isActive
      canStart
      canManage
      currentVersion {
        number
        formSchema
        uiSchema
        flow
        policies
        chosenNodes {
          nodeId
          name
        }
      }
    }
  }
`);

export const ApprovalTemplateQuery = graphql(`
  query ApprovalTemplate($id: ID!) {
    approvalTemplate(id: $id) {
      id
      key
      name
      category
      description
      canStart
      canManage
      currentVersion {
        number
        formSchema
        uiSchema
        flow
        policies
        chosenNodes {
          nodeId
          name
        }
      }
    }
  }
`);

export const StartApprovalMutation = graphql(`
  mutation StartApproval($input: StartApprovalInput!) {
    startApproval(input: $input) {
      instance {
        id
      }
      errors {
        ...ApprovalMutationError
      }
    }
  }
`);

export const ApproveMutation = graphql(`
  mutation ApproveApprovalTask($input: ApproveApprovalTaskInput!) {
    approveApprovalTask(input: $input) {
      instance {
        ...ApprovalDetailFields
      }
      errors {
        ...ApprovalMutationError
      }
    }
  }
`);

export const RejectMutation = graphql(`
  mutation RejectApprovalTask($input: RejectApprovalTaskInput!) {
    rejectApprovalTask(input: $input) {
      instance {
        ...ApprovalDetailFields
      }
      errors {
        ...ApprovalMutationError
      }
    }
  }
`);

export const ReturnMutation = graphql(`
  mutation ReturnApprovalTask($input: ReturnApprovalTaskInput!) {
    returnApprovalTask(input: $input) {
      instance {
        ...ApprovalDetailFields
      }
      errors {
        ...ApprovalMutationError
      }
    }
  }
`);

export const ForwardMutation = graphql(`
  mutation ForwardApprovalTask($input: ForwardApprovalTaskInput!) {
    forwardApprovalTask(input: $input) {
      instance {
        ...ApprovalDetailFields
      }
      errors {
        ...ApprovalMutationError
      }
    }
  }
`);

export const AddSignersMutation = graphql(`
  mutation AddApprovalSigners($input: AddApprovalSignersInput!) {
    addApprovalSigners(input: $input) {
      instance {
        ...ApprovalDetailFields
      }
      errors {
        ...ApprovalMutationError
      }
    }
  }
`);

export const WithdrawMutation = graphql(`
  mutation WithdrawApproval($input: WithdrawApprovalInput!) {
    withdrawApproval(input: $input) {
      instance {
        ...ApprovalDetailFields
      }
      errors {
        ...ApprovalMutationError
      }
    }
  }
`);

export const ResubmitMutation = graphql(`
  mutation ResubmitApproval($input: ResubmitApprovalInput!) {
    resubmitApproval(input: $input) {
      instance {
        ...ApprovalDetailFields
      }
      errors {
        ...ApprovalMutationError
      }
    }
  }
`);

export const CommentMutation = graphql(`
  mutation CommentOnApproval($input: CommentOnApprovalInput!) {
    commentOnApproval(input: $input) {
      entry {
        id
      }
      errors {
        ...ApprovalMutationError
      }
    }
  }
`);

export const UrgeMutation = graphql(`
  mutation UrgeApproval($input: UrgeApprovalInput!) {
    urgeApproval(input: $input) {
      instance {
        ...ApprovalDetailFields
      }
      errors {
        ...ApprovalMutationError
      }
    }
  }
`);

/** The Relay ID of an approval from the numeric id in a to-do's link (/approvals/instances/12; older items /apps/approvals/instances/12). */
export function instanceIdFromLink(link: string): string | null {
  const m = /^(?:\/apps)?\/approvals\/instances\/(\d+)/.exec(link);
  return m ? btoa(`ApprovalInstance:${m[1]}`) : null;
}

/** A route parameter that is either a Relay ID or the numeric id of `type`. */
export function globalId(type: string, param: string | undefined): string {
  return param && /^\d+$/.test(param) ? btoa(`${type}:${param}`) : (param ?? '');
}
