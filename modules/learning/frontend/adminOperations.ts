// GraphQL documents of the managers' screens: courses (drafts, editing, publishing, assigning,
// import), the question bank (one question by hand, import) and quiz campaigns.
import { graphql } from '@workbench/gql';

export const ManagedCoursesQuery = graphql(`
  query LearningManagedCourses($search: String) {
    learningManagedCourses(first: 100, search: $search) {
      totalCount
      edges {
        node {
          id
          title
          categoryName
          departmentName
          credits
          creditKind
          lessonCount
          isPublished
        }
      }
    }
    learningCourseCategories {
      id
      name
      departmentName
    }
  }
`);

export const EditCourseQuery = graphql(`
  query LearningEditCourse($id: ID!) {
    learningCourse(id: $id) {
      id
      title
      description
      categoryName
      departmentId
      credits
      creditKind
      isPublished
      chapters {
        title
        lessons {
          id
          title
          kind
          url
          body
          durationSeconds
        }
      }
    }
  }
`);

export const CreateCourseMutation = graphql(`
  mutation CreateLearningCourse($input: CreateLearningCourseInput!) {
    createLearningCourse(input: $input) {
      course {
        id
        isPublished
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UpdateCourseMutation = graphql(`
  mutation UpdateLearningCourse($input: UpdateLearningCourseInput!) {
    updateLearningCourse(input: $input) {
      course {
        id
        isPublished
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const PublishCourseMutation = graphql(`
  mutation PublishLearningCourse($course: ID!, $published: Boolean!) {
    publishLearningCourse(input: { course: $course, published: $published }) {
      course {
        id
        isPublished
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const AssignCourseMutation = graphql(`
  mutation AssignLearningCourse($input: AssignLearningCourseInput!) {
    assignLearningCourse(input: $input) {
      assignment {
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

graphql(`
  fragment LearningImportReportFields on LearningImportReport {
    dryRun
    applied
    rows
    created
    rowErrors {
      sheet
      row
      column
      columnLetter
      code
      message
    }
  }
`);

export const CourseTemplateQuery = graphql(`
  query LearningCourseTemplate {
    learningCourseTemplate
  }
`);

export const QuestionTemplateQuery = graphql(`
  query LearningQuestionTemplate {
    learningQuestionTemplate
  }
`);

export const ImportCoursesMutation = graphql(`
  mutation ImportLearningCourses($input: ImportLearningCoursesInput!) {
    importLearningCourses(input: $input) {
      report {
        ...LearningImportReportFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ImportQuestionsMutation = graphql(`
  mutation ImportLearningQuestions($input: ImportLearningQuestionsInput!) {
    importLearningQuestions(input: $input) {
      report {
        ...LearningImportReportFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const QuestionsQuery = graphql(`
  query LearningQuestions($search: String, $topic: String, $kind: LearningQuestionKind) {
    learningQuestions(first: 100, search: $search, topic: $topic, kind: $kind) {
      totalCount
      edges {
        node {
          id
          kind
          stem
          options
          answer
          topic
          difficulty
          explanation
          isActive
        }
      }
    }
    learningBankStats {
      topic
    }
  }
`);

export const CreateQuestionMutation = graphql(`
  mutation CreateLearningQuestion($input: CreateLearningQuestionInput!) {
    createLearningQuestion(input: $input) {
      question {
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

export const UpdateQuestionMutation = graphql(`
  mutation UpdateLearningQuestion($input: UpdateLearningQuestionInput!) {
    updateLearningQuestion(input: $input) {
      question {
        id
        isActive
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const CreateCampaignMutation = graphql(`
  mutation CreateLearningQuizCampaign($input: CreateLearningQuizCampaignInput!) {
    createLearningQuizCampaign(input: $input) {
      campaign {
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
