// The meetings documents shared by the board, the booking form and a booking's page.
import { graphql } from '@workbench/gql';

export const MeetingBoardQuery = graphql(`
  query MeetingBoard($date: Date!, $building: String) {
    meetingBoard(date: $date, building: $building) {
      date
      buildings
      rows {
        room {
          id
          name
          building
          floor
          capacity
          equipment
        }
        busy {
          startAt
          endAt
          title
          organiserName
          isPrivate
          mine
          status
          booking {
            id
          }
        }
      }
    }
    meetingCalendarUrl
  }
`);

export const MeetingRoomsQuery = graphql(`
  query MeetingRooms {
    meetingRooms {
      id
      name
      building
      floor
      capacity
    }
  }
`);

export const BookMeetingRoomMutation = graphql(`
  mutation BookMeetingRoom($input: BookMeetingRoomInput!) {
    bookMeetingRoom(input: $input) {
      booking {
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

export const MeetingBookingQuery = graphql(`
  query MeetingBooking($id: ID!) {
    meetingBooking(id: $id) {
      id
      title
      startAt
      endAt
      status
      organiserName
      isPrivate
      isSeries
      myAnswer
      availableActions
      room {
        name
        building
        floor
      }
      invitees {
        name
        answer
      }
    }
  }
`);

export const CancelMeetingMutation = graphql(`
  mutation CancelMeeting($input: CancelMeetingInput!) {
    cancelMeeting(input: $input) {
      errors {
        code
        message
      }
    }
  }
`);

export const RespondToMeetingMutation = graphql(`
  mutation RespondToMeeting($input: RespondToMeetingInput!) {
    respondToMeeting(input: $input) {
      errors {
        code
        message
      }
    }
  }
`);

export const CheckInMeetingMutation = graphql(`
  mutation CheckInMeeting($input: CheckInMeetingInput!) {
    checkInMeeting(input: $input) {
      errors {
        code
        message
      }
    }
  }
`);
