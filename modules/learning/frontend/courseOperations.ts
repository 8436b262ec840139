// GraphQL documents of courses, credits, the daily quiz and campaigns, and item analysis.
import { graphql } from '@workbench/gql';

export const CoursesQuery = graphql(`
  query LearningCourses($category: ID, $search: String) {
    learningCourseCategories {
      id
      name
      departmentName
      courseCount
    }
    learningCourses(first: 50, category: $category, search: $search) {
      edges {
        node {
          id
          title
          description
          credits
          creditKind
          categoryName
          departmentName
          lessonCount
          myDoneLessons
          myCompletedAt
        }
      }
    }
  }
`);

export const CourseQuery = graphql(`
  query LearningCourse($id: ID!) {
    learningCourse(id: $id) {
      id
      title
      description
      credits
      creditKind
      categoryName
      lessonCount
      myDoneLessons
      myCompletedAt
      chapters {
        title
        lessons {
          id
          title
          kind
          url
          body
          durationSeconds
          myPosition
          myCompleted
        }
      }
    }
  }
`);

export const ReportProgressMutation = graphql(`
  mutation ReportLearningProgress($lesson: ID!, $position: Int!, $finished: Boolean) {
    reportLearningProgress(input: { lesson: $lesson, position: $position, finished: $finished }) {
      lesson {
        id
        myPosition
        myCompleted
      }
      course {
        id
        myDoneLessons
        myCompletedAt
      }
      errors {
        code
        message
      }
    }
  }
`);

export const CreditsQuery = graphql(`
  query MyLearningCredits($year: Int) {
    myLearningCredits(year: $year) {
      year
      total
      items {
        courseTitle
        creditKind
        credits
        completedAt
      }
    }
  }
`);

export const CreditExportQuery = graphql(`
  query LearningCreditExport($year: Int!) {
    learningCreditExport(year: $year)
  }
`);

export const CampaignsQuery = graphql(`
  query LearningQuizCampaigns {
    learningQuizCampaigns {
      id
      title
      kind
      topic
      perDay
      startsOn
      endsOn
      myTotal
      myDays
      myToday {
        id
        completedAt
        correct
        score
      }
      departments {
        departmentName
        participants
        total
        average
      }
      people {
        userName
        departmentName
        total
        days
      }
    }
  }
`);


export const OpenQuizMutation = graphql(`
  mutation OpenLearningQuiz($campaign: ID!) {
    openLearningQuiz(input: { campaign: $campaign }) {
      session {
        id
        day
        correct
        score
        completedAt
        answers
        questions {
          stem
          kind
          options
          blanks
          key
          explanation
        }
      }
      errors {
        code
        message
      }
    }
  }
`);

export const AnswerQuizMutation = graphql(`
  mutation AnswerLearningQuiz($session: ID!, $answers: [JSONString]!) {
    answerLearningQuiz(input: { session: $session, answers: $answers }) {
      session {
        id
        day
        correct
        score
        completedAt
        answers
        questions {
          stem
          kind
          options
          blanks
          key
          explanation
        }
      }
      errors {
        code
        message
      }
    }
  }
`);

export const ItemAnalysisQuery = graphql(`
  query LearningItemAnalysis($exam: ID!) {
    learningExam(id: $exam) {
      id
      title
      isClosed
    }
    learningItemAnalysis(exam: $exam) {
      stem
      kind
      topic
      answered
      correct
      difficulty
      discrimination
    }
  }
`);
