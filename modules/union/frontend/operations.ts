// The union documents shared by the member's phone pages and the officer console.
import { graphql } from '@workbench/gql';

export const UnionMeQuery = graphql(`
  query UnionMe {
    unionMe {
      isMember
      name
      nodeName
      balance
      earned
      rank
      nodeRank
      streak
      checkedInToday
      isOfficer
      isAdmin
      isCounsellor
    }
  }
`);

export const CheckInUnionMutation = graphql(`
  mutation CheckInUnion {
    checkInUnion(input: { confirm: true }) {
      me {
        balance
        streak
        checkedInToday
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const JoinUnionMutation = graphql(`
  mutation JoinUnion {
    joinUnion(input: {}) {
      me {
        isMember
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UnionActivitiesQuery = graphql(`
  query UnionActivities {
    unionActivities {
      id
      title
      description
      place
      startAt
      endAt
      quota
      taken
      waiting
      needsApproval
      points
      nodeName
      form {
        key
        label
        required
        options
      }
      myStatus
      myWaitingPosition
      attended
      availableActions
    }
  }
`);

export const SignUpUnionActivityMutation = graphql(`
  mutation SignUpUnionActivity($input: SignUpUnionActivityInput!) {
    signUpUnionActivity(input: $input) {
      activity {
        id
        myStatus
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const CancelUnionSignupMutation = graphql(`
  mutation CancelUnionSignup($input: CancelUnionSignupInput!) {
    cancelUnionSignup(input: $input) {
      activity {
        id
        myStatus
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const CheckInUnionActivityMutation = graphql(`
  mutation CheckInUnionActivity($input: CheckInUnionActivityInput!) {
    checkInUnionActivity(input: $input) {
      activity {
        id
        attended
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UnionWelfareQuery = graphql(`
  query UnionWelfare {
    unionWelfareCampaigns {
      id
      title
      description
      closesAt
      isOpen
      myOptionId
      canManage
      chosen
      options {
        id
        name
        supplier
        description
        count
      }
    }
  }
`);

export const ChooseUnionWelfareMutation = graphql(`
  mutation ChooseUnionWelfare($input: ChooseUnionWelfareInput!) {
    chooseUnionWelfare(input: $input) {
      campaign {
        id
        myOptionId
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UnionLeaderboardQuery = graphql(`
  query UnionLeaderboard($kind: UnionLeaderboardKind, $node: ID) {
    unionLeaderboard(kind: $kind, node: $node, limit: 20) {
      rank
      name
      nodeName
      value
      isMe
    }
  }
`);

export const UnionParticipationQuery = graphql(`
  query UnionParticipation($node: ID, $days: Int) {
    unionParticipation(node: $node, days: $days) {
      node {
        id
        name
        memberCount
      }
      rows {
        nodeId
        name
        members
        checkedIn
        signedUp
        rate
      }
      trend {
        day
        count
      }
    }
  }
`);

export const UnionCareQuery = graphql(`
  query UnionCare {
    unionSurveys {
      id
      title
      nodeName
      anonymous
      closesAt
      isOpen
      formSchema
      answered
      canManage
      responses
    }
    unionCondolences {
      id
      kind
      reason
      status
      createdAt
    }
    unionClubs {
      id
      name
      description
      members
      myStatus
      isOfficer
      applications {
        id
        name
        status
      }
    }
    unionScreenings {
      id
      title
      showAt
      tickets
      entries
      entered
      won
      drawn
      seed
      canManage
    }
  }
`);

export const UnionSurveyStatsQuery = graphql(`
  query UnionSurveyStats($id: ID!) {
    unionSurveyStats(id: $id) {
      key
      title
      answered
      counts {
        value
        count
      }
      average
      texts
    }
  }
`);

export const AnswerUnionSurveyMutation = graphql(`
  mutation AnswerUnionSurvey($input: AnswerUnionSurveyInput!) {
    answerUnionSurvey(input: $input) {
      survey {
        id
        answered
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const SubmitUnionCondolenceMutation = graphql(`
  mutation SubmitUnionCondolence($input: SubmitUnionCondolenceInput!) {
    submitUnionCondolence(input: $input) {
      ok
      errors {
        field
        code
        message
      }
    }
  }
`);

export const JoinUnionClubMutation = graphql(`
  mutation JoinUnionClub($input: JoinUnionClubInput!) {
    joinUnionClub(input: $input) {
      club {
        id
        myStatus
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ReviewUnionClubMemberMutation = graphql(`
  mutation ReviewUnionClubMember($input: ReviewUnionClubMemberInput!) {
    reviewUnionClubMember(input: $input) {
      club {
        id
        members
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const EnterUnionScreeningMutation = graphql(`
  mutation EnterUnionScreening($input: EnterUnionScreeningInput!) {
    enterUnionScreening(input: $input) {
      screening {
        id
        entered
        entries
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const DrawUnionScreeningMutation = graphql(`
  mutation DrawUnionScreening($input: DrawUnionScreeningInput!) {
    drawUnionScreening(input: $input) {
      screening {
        id
        drawn
        seed
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
