// The learning centre's GraphQL documents, shared by its pages.
import { graphql } from '@workbench/gql';

export const MyAssignmentsQuery = graphql(`
  query MyLearningAssignments {
    myLearningAssignments {
      id
      deadline
      myCompletedAt
      exam {
        id
        title
        timeLimitMinutes
        passPercent
        isClosed
      }
      course {
        id
        title
        credits
      }
    }
  }
`);

export const ExamQuery = graphql(`
  query LearningExam($id: ID!) {
    learningExam(id: $id) {
      id
      title
      description
      timeLimitMinutes
      maxAttempts
      passPercent
      isClosed
      questionCount
      attemptsLeft
      myAttempts {
        id
        number
        status
        score
        maxScore
        passed
        timedOut
        endedAt
        certificatePath
      }
    }
  }
`);

export const AttemptQuery = graphql(`
  query LearningAttempt($id: ID!) {
    learningAttempt(id: $id) {
      id
      status
      secondsLeft
      maxScore
      score
      items {
        id
        position
        kind
        stem
        blanks
        points
        answer
        options {
          value
          label
        }
      }
    }
  }
`);

export const StartAttemptMutation = graphql(`
  mutation StartLearningAttempt($exam: ID!) {
    startLearningAttempt(input: { exam: $exam }) {
      attempt {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const SaveAnswerMutation = graphql(`
  mutation SaveLearningAnswer($item: ID!, $answer: JSONString) {
    saveLearningAnswer(input: { item: $item, answer: $answer }) {
      secondsLeft
      item {
        id
        answer
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const SubmitAttemptMutation = graphql(`
  mutation SubmitLearningAttempt($attempt: ID!) {
    submitLearningAttempt(input: { attempt: $attempt }) {
      attempt {
        id
        status
        score
        maxScore
        passed
      }
      errors {
        code
        message
      }
    }
  }
`);
