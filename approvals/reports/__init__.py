"""The quarterly monitoring report on publishing (seed 003 §4) and its exports.

``periods`` turns a fiscal year and a period into Bangkok-local date ranges and UTC boundaries,
``figures`` counts what happened in them, ``services`` writes narratives and acknowledgments,
``charts``, ``pdf`` and ``exports`` draw the report, ``views`` serve it.
"""
