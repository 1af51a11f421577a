from intersector.workshops.activities import base


class DiscussionConfig(base.KindConfig):
    name = "intersector.workshops.activities.discussion"
    label = "discussion"
    verbose_name = "Convene: discussion"
