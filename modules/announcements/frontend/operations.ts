// The announcements documents shared by the list, the reading page, the editor and the read rate.
import { graphql } from '@workbench/gql';

graphql(`
  fragment AnnouncementListFields on Announcement {
    id
    title
    excerpt
    status
    required
    pinned
    readAt
    readDeadline
    publishedAt
    publishAt
    authorName
    column {
      id
      name
    }
  }
`);

graphql(`
  fragment AnnouncementFields on Announcement {
    id
    title
    body
    excerpt
    status
    required
    pinned
    readAt
    readDeadline
    expiresAt
    publishAt
    publishedAt
    authorName
    recipientCount
    readCount
    likeCount
    likedByMe
    videoLinks
    audience
    availableActions
    column {
      id
      key
      name
      commentsEnabled
      likesEnabled
    }
    attachments {
      id
      filename
      contentType
      size
      url
      isImage
    }
    comments {
      id
      userName
      text
      hidden
      createdAt
    }
    readByDepartment {
      departmentId
      name
      total
      read
      rate
    }
    formSchema
    formClosesAt
    formClosed
    myFormAnswer
    formResults {
      answered
      fields {
        key
        title
        answered
        options {
          value
          count
        }
      }
    }
  }
`);

export const AnnouncementColumnsQuery = graphql(`
  query AnnouncementColumns {
    announcementColumns {
      id
      key
      name
      canPublish
      commentsEnabled
      likesEnabled
    }
  }
`);

export const AnnouncementsQuery = graphql(`
  query Announcements($view: AnnouncementView, $column: ID, $search: String, $first: Int, $after: String) {
    announcements(view: $view, column: $column, search: $search, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...AnnouncementListFields
        }
      }
    }
  }
`);

export const AnnouncementQuery = graphql(`
  query Announcement($id: ID!) {
    announcement(id: $id) {
      ...AnnouncementFields
    }
  }
`);

export const AnnouncementReadChangedSubscription = graphql(`
  subscription AnnouncementReadChanged {
    announcementReadChanged {
      id
      read
      total
    }
  }
`);

export const SaveAnnouncementMutation = graphql(`
  mutation SaveAnnouncement($input: SaveAnnouncementInput!) {
    saveAnnouncement(input: $input) {
      announcement {
        ...AnnouncementFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const PublishAnnouncementMutation = graphql(`
  mutation PublishAnnouncement($input: PublishAnnouncementInput!) {
    publishAnnouncement(input: $input) {
      announcement {
        ...AnnouncementFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const AddAnnouncementAttachmentMutation = graphql(`
  mutation AddAnnouncementAttachment($input: AddAnnouncementAttachmentInput!) {
    addAnnouncementAttachment(input: $input) {
      attachment {
        id
        url
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ReadAnnouncementMutation = graphql(`
  mutation ReadAnnouncement($input: AnnouncementIdInput!) {
    readAnnouncement(input: $input) {
      announcement {
        ...AnnouncementFields
      }
      errors {
        code
        message
      }
    }
  }
`);

export const WithdrawAnnouncementMutation = graphql(`
  mutation WithdrawAnnouncement($input: AnnouncementIdInput!) {
    withdrawAnnouncement(input: $input) {
      announcement {
        ...AnnouncementFields
      }
      errors {
        code
        message
      }
    }
  }
`);

export const PinAnnouncementMutation = graphql(`
  mutation PinAnnouncement($input: PinAnnouncementInput!) {
    pinAnnouncement(input: $input) {
      announcement {
        ...AnnouncementFields
      }
      errors {
        code
        message
      }
    }
  }
`);

export const RemindAnnouncementUnreadMutation = graphql(`
  mutation RemindAnnouncementUnread($input: RemindAnnouncementUnreadInput!) {
    remindAnnouncementUnread(input: $input) {
      reminded
      errors {
        code
        message
      }
    }
  }
`);

export const CommentOnAnnouncementMutation = graphql(`
  mutation CommentOnAnnouncement($input: CommentOnAnnouncementInput!) {
    commentOnAnnouncement(input: $input) {
      comment {
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

export const HideAnnouncementCommentMutation = graphql(`
  mutation HideAnnouncementComment($input: HideAnnouncementCommentInput!) {
    hideAnnouncementComment(input: $input) {
      errors {
        code
        message
      }
    }
  }
`);

export const LikeAnnouncementMutation = graphql(`
  mutation LikeAnnouncement($input: LikeAnnouncementInput!) {
    likeAnnouncement(input: $input) {
      announcement {
        id
        likeCount
        likedByMe
        availableActions
      }
      errors {
        code
        message
      }
    }
  }
`);

export const SetAnnouncementFormMutation = graphql(`
  mutation SetAnnouncementForm($input: SetAnnouncementFormInput!) {
    setAnnouncementForm(input: $input) {
      errors {
        field
        code
        message
      }
    }
  }
`);

export const AnswerAnnouncementFormMutation = graphql(`
  mutation AnswerAnnouncementForm($input: AnswerAnnouncementFormInput!) {
    answerAnnouncementForm(input: $input) {
      announcement {
        ...AnnouncementFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
