"""The meetings API over HTTP: booking with a clash answered as a payload error, the board,
availableActions, who sees rooms and private meetings, and the per-person iCalendar feed."""

from __future__ import annotations

import datetime as dt

import pytest
from graphql_relay import to_global_id
from icalendar import Calendar

from modules.meetings import booking
from tenants.context import tenant_context
from tests.factories import build_province
from tests.meetings_world import build, tomorrow
from tests.utils import error_code, gql

BOOK = """mutation($input: BookMeetingRoomInput!) { bookMeetingRoom(input: $input) {
  booking { id title status isOrganiser availableActions invitees { name answer } room { name } }
  bookings { id } errors { field code message } } }"""
BOARD = """query($date: Date!, $building: String) { meetingBoard(date: $date, building: $building) {
  buildings rows { room { name building capacity equipment canManage } busy { title organiserName isPrivate mine booking { id } } } } }"""
ROOMS = "{ meetingRooms { name building floor capacity equipment unitName canManage } }"
ONE = "query($id: ID!) { meetingBooking(id: $id) { title myAnswer availableActions invitees { name answer } } }"
RESPOND = """mutation($input: RespondToMeetingInput!) { respondToMeeting(input: $input) {
  booking { myAnswer availableActions } errors { code } } }"""
CAL = "{ meetingCalendarUrl }"
RESET = "mutation { resetMeetingCalendar(input: {confirm: true}) { url errors { code } } }"


@pytest.fixture
def w(db):
    p = build_province()
    with tenant_context(p.tenant_a):
        yield build(p)


def call(client, w, who, query, variables=None, user=None):
    status, body = gql(client, query, variables, user=user or w.user(who), HTTP_X_TENANT="tonglu")
    assert status == 200, body
    return body


def _room(w, key="一会"):
    return to_global_id("MeetingRoom", w.rooms[key].pk)


def test_book_over_graphql_and_a_clash_is_a_payload_error(client, w):
    start = tomorrow(9)
    inp = {"room": _room(w), "title": "院周会", "start": start.isoformat(), "end": (start + dt.timedelta(hours=1)).isoformat(),
           "invitees": [to_global_id("User", w.user("钱进").pk)]}
    made = call(client, w, "赵敏", BOOK, {"input": inp})["data"]["bookMeetingRoom"]
    assert made["errors"] == [] and made["booking"]["status"] == "BOOKED" and made["booking"]["isOrganiser"]
    assert made["booking"]["availableActions"] == ["CANCEL"]
    assert made["booking"]["invitees"] == [{"name": "钱进", "answer": "PENDING"}]
    clash = call(client, w, "孙立", BOOK, {"input": {**inp, "title": "抢会议室", "invitees": [],
                                                   "start": (start + dt.timedelta(minutes=30)).isoformat()}})
    payload = clash["data"]["bookMeetingRoom"]
    assert payload["booking"] is None and "errors" not in clash
    [err] = payload["errors"]
    assert err["code"] == "MEETINGS_ROOM_TAKEN" and err["field"] == "start" and "09:00–10:00" in err["message"]

    mine = call(client, w, "钱进", ONE, {"id": made["booking"]["id"]})["data"]["meetingBooking"]
    assert mine["myAnswer"] == "PENDING" and mine["availableActions"] == ["ACCEPT", "DECLINE"]
    answered = call(client, w, "钱进", RESPOND, {"input": {"booking": made["booking"]["id"], "answer": "ACCEPT"}})
    assert answered["data"]["respondToMeeting"]["booking"] == {"myAnswer": "ACCEPTED", "availableActions": ["DECLINE"]}


def test_the_board_by_building_hides_private_meetings_of_others(client, w):
    booking.book(w.user("赵敏"), w.rooms["一会"].pk, title="人事谈话", start=tomorrow(15), end=tomorrow(16), is_private=True,
                 invitee_ids=[w.user("钱进").pk])
    booking.book(w.user("赵敏"), w.rooms["医务"].pk, title="病例讨论", start=tomorrow(10), end=tomorrow(11))
    day = tomorrow(0).date().isoformat()
    seen = call(client, w, "孙立", BOARD, {"date": day, "building": "行政楼"})["data"]["meetingBoard"]
    assert seen["buildings"] == ["行政楼", "门诊楼"]
    assert [r["room"]["name"] for r in seen["rows"]] == ["小会议室", "第一会议室"]
    [busy] = seen["rows"][1]["busy"]
    assert busy == {"title": "私密会议", "organiserName": "", "isPrivate": True, "mine": False, "booking": None}
    invited = call(client, w, "钱进", BOARD, {"date": day, "building": "行政楼"})["data"]["meetingBoard"]["rows"][1]["busy"][0]
    assert invited["title"] == "人事谈话" and invited["mine"] and invited["booking"]
    # the private meeting's details stay hidden by ID too
    private_id = invited["booking"]["id"]
    assert call(client, w, "孙立", ONE, {"id": private_id})["data"]["meetingBooking"] is None
    node = call(client, w, "孙立", "query($id: ID!) { node(id: $id) { id } }", {"id": private_id})
    assert node["data"]["node"] is None
    assert call(client, w, "钱进", ONE, {"id": private_id})["data"]["meetingBooking"]["title"] == "人事谈话"
    other = call(client, w, "孙立", BOARD, {"date": day, "building": "门诊楼"})["data"]["meetingBoard"]["rows"][0]["busy"][0]
    assert other["title"] == "病例讨论" and other["organiserName"] == "赵敏"


def test_only_the_tenants_members_see_rooms(client, w):
    rooms = call(client, w, "孙立", ROOMS)["data"]["meetingRooms"]
    assert {r["name"] for r in rooms} == {"第一会议室", "小会议室", "医务科会议室"}
    assert not any(r["canManage"] for r in rooms)
    assert all(r["canManage"] for r in call(client, w, "admin", ROOMS)["data"]["meetingRooms"])
    status, outsider = gql(client, ROOMS, user=w.p.users["doctor_b"], HTTP_X_TENANT="tonglu")  # 象山's doctor
    assert outsider.get("data") is None or outsider["data"].get("meetingRooms") is None
    assert error_code(outsider) in ("TENANT_ACCESS_DENIED", "PERMISSION_DENIED")
    province = call(client, w, "", ROOMS, user=w.p.users["province_admin"])  # may enter, is no member
    assert error_code(province) in ("TENANT_ACCESS_DENIED", "PERMISSION_DENIED")
    status, anonymous = gql(client, ROOMS, HTTP_X_TENANT="tonglu")
    assert error_code(anonymous) == "UNAUTHENTICATED"


def test_room_management_needs_meetings_manage(client, w):
    create = """mutation($input: CreateMeetingRoomInput!) { createMeetingRoom(input: $input) {
      room { name capacity equipment } errors { field code } } }"""
    inp = {"unit": to_global_id("OrgUnit", w.p.lead_a.pk), "name": "第二会议室", "capacity": 20, "equipment": ["投影", "投影", "白板"]}
    assert error_code(call(client, w, "孙立", create, {"input": inp})) == "PERMISSION_DENIED"
    made = call(client, w, "admin", create, {"input": inp})["data"]["createMeetingRoom"]
    assert made == {"room": {"name": "第二会议室", "capacity": 20, "equipment": ["投影", "白板"]}, "errors": []}
    bad = call(client, w, "admin", create, {"input": {**inp, "capacity": 0}})["data"]["createMeetingRoom"]
    assert bad["errors"] == [{"field": "capacity", "code": "INVALID"}]


def test_the_calendar_feed_needs_its_token_and_parses(client, w):
    booking.book(w.user("赵敏"), w.rooms["一会"].pk, title="院周会", start=tomorrow(8), end=tomorrow(9), weeks=2,
                 invitee_ids=[w.user("钱进").pk])
    booking.book(w.user("孙立"), w.rooms["小会"].pk, title="别人的会", start=tomorrow(8), end=tomorrow(9))
    url = call(client, w, "钱进", CAL)["data"]["meetingCalendarUrl"]
    assert url.startswith("/t/tonglu/apps/meetings/calendar/") and url.endswith(".ics")
    assert call(client, w, "钱进", CAL)["data"]["meetingCalendarUrl"] == url  # stable until reset
    response = client.get(url)  # no sign-in: a phone calendar has none
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["院周会", "院周会"]
    assert events[0].decoded("DTSTART") == tomorrow(8) and "第一会议室" in str(events[0]["LOCATION"])
    assert client.get(url.replace(".ics", "x.ics")).status_code == 404
    assert client.get("/t/tonglu/apps/meetings/calendar/.ics").status_code == 404
    new = call(client, w, "钱进", RESET)["data"]["resetMeetingCalendar"]["url"]
    assert new != url and client.get(url).status_code == 404 and client.get(new).status_code == 200
    assert client.get(new.replace("/t/tonglu/", "/t/xiangshan/")).status_code == 404  # another tenant knows no such token


MINE = """{ myMeetings { title isOrganiser myAnswer availableActions room { name } } }"""
CANCEL = """mutation($input: CancelMeetingInput!) { cancelMeeting(input: $input) { booking { status availableActions } errors { code } } }"""


def test_my_meetings_and_a_room_manager_cancelling(client, w):
    [b] = booking.book(w.user("赵敏"), w.rooms["一会"].pk, title="院周会", start=tomorrow(8), end=tomorrow(9),
                       invitee_ids=[w.user("钱进").pk])
    booking.book(w.user("孙立"), w.rooms["小会"].pk, title="别人的会", start=tomorrow(8), end=tomorrow(9))
    assert call(client, w, "钱进", MINE)["data"]["myMeetings"] == [
        {"title": "院周会", "isOrganiser": False, "myAnswer": "PENDING", "availableActions": ["ACCEPT", "DECLINE"],
         "room": {"name": "第一会议室"}}]
    gid = to_global_id("MeetingBooking", b.pk)
    assert error_code(call(client, w, "孙立", CANCEL, {"input": {"booking": gid}})) == "PERMISSION_DENIED"
    done = call(client, w, "admin", CANCEL, {"input": {"booking": gid}})["data"]["cancelMeeting"]
    assert done == {"booking": {"status": "CANCELLED", "availableActions": []}, "errors": []}
    again = call(client, w, "赵敏", CANCEL, {"input": {"booking": gid}})["data"]["cancelMeeting"]
    assert again["errors"] == [{"code": "MEETINGS_NOT_ACTIVE"}]
    assert call(client, w, "钱进", MINE)["data"]["myMeetings"] == []


def test_a_date_range_without_a_zone_is_read_in_the_hospitals_time(client, w):
    booking.book(w.user("赵敏"), w.rooms["一会"].pk, title="早交班", start=tomorrow(8), end=tomorrow(9),
                 invitee_ids=[w.user("钱进").pk])
    day = tomorrow(0).date().isoformat()
    ranged = "query($s: DateTime, $e: DateTime) { myMeetings(start: $s, end: $e) { title } }"
    # 08:00–09:00 Beijing time is 00:00–01:00 UTC; a client that sends no zone means Beijing time
    found = call(client, w, "钱进", ranged, {"s": f"{day}T07:30:00", "e": f"{day}T08:30:00"})
    assert found["data"]["myMeetings"] == [{"title": "早交班"}], found
    outside = call(client, w, "钱进", ranged, {"s": f"{day}T00:00:00", "e": f"{day}T01:00:00"})
    assert outside["data"]["myMeetings"] == []
    # a year no hospital schedules in is the client's mistake, said as such
    odd = call(client, w, "钱进", ranged, {"s": None, "e": "0139-02-17T03:29:59"})
    assert odd["errors"][0]["extensions"]["code"] != "INTERNAL_ERROR" and "年份" in odd["errors"][0]["message"], odd


def test_the_todo_source_rebuilds_open_invitations(w):
    from jianlian.todos.models import TodoItem
    from jianlian.todos.services import rebuild

    [b] = booking.book(w.user("赵敏"), w.rooms["一会"].pk, title="院周会", start=tomorrow(8), end=tomorrow(9),
                       invitee_ids=[w.user("钱进").pk])
    TodoItem.objects.filter(user_id=w.user("钱进").pk).delete()
    rebuild(w.user("钱进"))
    item = TodoItem.objects.get(user_id=w.user("钱进").pk, source="meetings")
    assert item.state == "pending" and item.title == "赵敏邀请您参加会议：院周会" and item.link == f"/meetings/bookings/{b.pk}"
