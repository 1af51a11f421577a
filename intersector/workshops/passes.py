"""A phone's pass: the signed token in its cookie, and finding the participant it names.

Every request of hundreds of phones comes through workshop_and_participant, so a valid pass costs
one written-out statement (participant, workshop, current item and table together).
"""

import functools
import weakref
from datetime import timedelta

from intersector import tokens
from intersector.workshops.models import AgendaItem, MergedAway, Participant, Table, Workshop

TOKEN_SALT = "workshops.participant"
# A phone's pass: as long as its cookie lives (public_views.TOKEN_MAX_AGE); a new
# participant.secret withdraws it.
PASS = tokens.Kind(TOKEN_SALT, max_age=timedelta(days=7))


def token_for(participant):
    return PASS.make([participant.workshop_id, participant.pk, participant.secret])


def _token_ids(token):
    """(workshop id, participant id, secret) from a pass, or None if it is not one of ours."""
    try:
        workshop_id, participant_id, secret = PASS.read(token)
    except (ValueError, TypeError):  # None, or not three values
        return None
    return workshop_id, participant_id, secret


def workshop_and_participant(code, token):
    """(workshop, participant) for a phone's request; participant None if its pass is not valid
    here. A valid pass costs one query (participant, workshop, current item and table together):
    every note and screen refresh of hundreds of phones comes through here. Anything else goes
    the long way, for the right message (Refused: unknown code, ended workshop)."""
    from intersector.workshops.models import normalise_code

    ids = _token_ids(token)
    if ids is not None:
        workshop_id, participant_id, secret = ids
        participant = _participant_with_workshop(participant_id, workshop_id, normalise_code(code))
        if (participant is not None and tokens.same_secret(participant.secret, secret)
                and not participant.workshop.code_expired()):
            return participant.workshop, participant
    from intersector.workshops.services import find_workshop  # the long way: its refusals

    workshop = find_workshop(code)
    return workshop, participant_from_token(workshop, token)


def _participant_with_workshop(participant_id, workshop_id, code):
    """The participant with its workshop, the workshop's current item and its table filled in, as
    Participant.objects.select_related("workshop__current_item", "table") would give them, but in
    one written-out statement: Django's compiling of that query was most of a phone request's time."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]  # this thread's own (its converters are cached by it)
    with connection.cursor() as cursor:
        cursor.execute(_participant_sql(connection.vendor), [participant_id, workshop_id, code])
        row = cursor.fetchone()
    if row is None:
        return None
    participant, workshop, item, table = (_model_from_row(model, fields, row, start, connection)
                                          for model, fields, start in _participant_columns(connection))
    Participant.workshop.field.set_cached_value(participant, workshop)
    Participant.table.field.set_cached_value(participant, table)
    Workshop.current_item.field.set_cached_value(workshop, item)
    return participant


_JOINED = (Participant, Workshop, AgendaItem, Table)  # in the order of _participant_sql's columns


def _model_from_row(model, fields, row, start, connection):
    """One model instance from its columns in row (None if its primary key is NULL: no such row),
    through the ORM's own converters (JSON decoded, times made aware, SQLite's booleans...)."""
    values = list(row[start:start + len(fields)])
    if values[0] is None:
        return None
    for index, (expression, converters) in enumerate(fields):
        for converter in converters:
            values[index] = converter(values[index], expression, connection)
    return model.from_db(connection.alias, [expression.target.attname for expression, _ in fields], values)


_COLUMNS = weakref.WeakKeyDictionary()  # connection -> each model's (column, its converters), start


def _participant_columns(connection):
    """Per connection (converters are the connection's methods), as the ORM's compiler finds them."""
    columns = _COLUMNS.get(connection)
    if columns is None:
        columns, start = [], 0
        for model in _JOINED:
            fields = []
            for field in model._meta.concrete_fields:
                expression = field.get_col(model._meta.db_table)
                fields.append((expression, tuple(connection.ops.get_db_converters(expression)
                                                 + field.get_db_converters(connection))))
            columns.append((model, tuple(fields), start))
            start += len(fields)
        _COLUMNS[connection] = columns
    return columns


@functools.lru_cache(maxsize=4)
def _participant_sql(vendor):
    """The statement of _participant_with_workshop: every column of the four models, in _JOINED's
    order and each model's concrete_fields order, written out once from their tables and columns."""
    from django.db import connection

    q = connection.ops.quote_name
    person, workshop, item, table = _JOINED

    def column(model, alias, name):
        return f"{alias}.{q(model._meta.get_field(name).column)}"

    columns = ", ".join(f"{alias}.{q(field.column)}" for model, alias in zip(_JOINED, "pwit")
                        for field in model._meta.concrete_fields)
    return (f"SELECT {columns} FROM {q(person._meta.db_table)} p "
            f"JOIN {q(workshop._meta.db_table)} w ON {column(workshop, 'w', 'id')} = {column(person, 'p', 'workshop')} "
            f"LEFT JOIN {q(item._meta.db_table)} i ON {column(item, 'i', 'id')} = {column(workshop, 'w', 'current_item')} "
            f"LEFT JOIN {q(table._meta.db_table)} t ON {column(table, 't', 'id')} = {column(person, 'p', 'table')} "
            f"WHERE {column(person, 'p', 'id')} = %s AND {column(person, 'p', 'workshop')} = %s "
            f"AND {column(workshop, 'w', 'code')} = %s LIMIT 1")


def participant_from_token(workshop, token):
    """The participant this token was issued to, for THIS workshop only; None if it is not valid."""
    ids = _token_ids(token)
    if ids is None:
        return None
    workshop_id, participant_id, secret = ids
    if workshop_id != workshop.pk:
        return None
    participant = Participant.objects.filter(pk=participant_id, workshop=workshop).select_related("table").first()
    if participant is None or not tokens.same_secret(participant.secret, secret):
        return None
    return participant


def merged_into(workshop, token):
    """The kept participant, if this token is the valid pass of an entry the facilitator merged
    into them (people.merge_participants); else None. The pass must be signed by us, for this
    workshop, and carry the merged-away entry's own secret: a stranger who knows or guesses the
    ids gets nothing, and a removed (not merged) entry's pass leads nowhere."""
    ids = _token_ids(token)
    if ids is None or ids[0] != workshop.pk:
        return None
    merged = (MergedAway.objects.filter(workshop=workshop, old_participant=ids[1])
              .select_related("into__table").first() if isinstance(ids[1], int) else None)
    if merged is None or not tokens.same_secret(merged.old_secret, ids[2]):
        return None
    merged.into.workshop = workshop
    return merged.into
