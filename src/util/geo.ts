/** Great-circle distances (haversine) between two positions, for the home zone and the simulator's zones. */
export interface LatLon {
  lat: number;
  lon: number;
}

function haversine(a: LatLon, b: LatLon, earthRadius: number): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadius * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** In metres. */
export function distanceM(a: LatLon, b: LatLon): number {
  return haversine(a, b, 6_371_000);
}

/** In kilometres (the radius in km, not metres / 1000: the same numbers as before to the last bit). */
export function distanceKm(a: LatLon, b: LatLon): number {
  return haversine(a, b, 6371);
}
