// The payslips app's GraphQL documents, shared by its pages.
import { graphql } from '@workbench/gql';

export const MyPayslipsQuery = graphql(`
  query MyPayslips {
    myPayslips {
      id
      month
      title
      status
      question
      reply
    }
  }
`);

export const GrantMutation = graphql(`
  mutation GrantPayslipAccess($input: GrantPayslipAccessInput!) {
    grantPayslipAccess(input: $input) {
      grant
      errors {
        field
        code
        message
      }
    }
  }
`);

export const OpenMutation = graphql(`
  mutation OpenPayslip($input: OpenPayslipInput!) {
    openPayslip(input: $input) {
      payslip {
        id
        status
      }
      lines {
        item
        amount
      }
      errors {
        code
        message
      }
    }
  }
`);

export const ConfirmMutation = graphql(`
  mutation ConfirmPayslip($input: ConfirmPayslipInput!) {
    confirmPayslip(input: $input) {
      payslip {
        id
        status
        confirmedAt
      }
      errors {
        code
        message
      }
    }
  }
`);

export const QuestionMutation = graphql(`
  mutation QuestionPayslip($input: QuestionPayslipInput!) {
    questionPayslip(input: $input) {
      payslip {
        id
        status
        question
      }
      errors {
        code
        message
      }
    }
  }
`);

export function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export const statusColor: Record<string, string> = { UNREAD: 'blue', READ: 'orange', CONFIRMED: 'green', QUESTIONED: 'red' };
