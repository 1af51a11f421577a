from ninja import NinjaAPI

api = NinjaAPI(title="Intersector API", version="1")
